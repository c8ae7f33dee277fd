"""Limits for the portal views that take evidence files, applied while the body streams in.

Django writes uploaded files to temporary files as they arrive, and DATA_UPLOAD_MAX_MEMORY_SIZE
does not count file data, so a form with files would otherwise take any body. Here a body
larger than EVIDENCE_MAX_BODY_BYTES is refused from its Content-Length before a byte is read,
and a single file past EVIDENCE_MAX_FILE_BYTES stops being written as soon as it gets there:
the view then receives it as an empty `RefusedUpload`, which `evidence_prepare` refuses by name
(as it does a file name with folder parts or control characters, which Django would otherwise
clean silently)."""

import html
import io
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import render
from django.utils.datastructures import ImmutableList
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from tickets.errors import EvidenceRefused
from tickets.services.evidence import evidence_name_check, evidence_too_large


class RefusedUpload(UploadedFile):
    """A file the upload handler stopped: no content, only why (`evidence_refused`)."""

    def __init__(self, *, name: str, refused: EvidenceRefused, size: int) -> None:
        super().__init__(io.BytesIO(), name=name, content_type="", size=size)
        self.evidence_refused = refused


class EvidenceUploadHandler(FileUploadHandler):
    """First of the request's upload handlers: passes each file's data on to the usual ones
    (memory, temporary file) until the file is past EVIDENCE_MAX_FILE_BYTES or its name is
    refused, and from then on swallows it."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.raw_name: str | None = None  # set by EvidenceMultiPartParser for the next file
        self.received = 0
        self.refused: EvidenceRefused | None = None

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        raw, self.raw_name = self.raw_name, None
        self.received = 0
        self.refused = None
        try:
            evidence_name_check(raw if raw is not None else file_name)
        except EvidenceRefused as refused:
            self.refused = refused

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.refused is None and self.received > settings.EVIDENCE_MAX_FILE_BYTES:
            self.refused = evidence_too_large(self.file_name or "")
        # None: the handlers after this one never see the rest of a refused file.
        return None if self.refused is not None else raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.refused is None:
            return None  # the next handler completes the file as usual
        return RefusedUpload(name=self.file_name or "", refused=self.refused, size=self.received)


class EvidenceMultiPartParser(MultiPartParser):
    """Django's parser, telling the evidence handler a file's name as sent before Django cleans
    it: a name with folder parts or control characters is refused rather than quietly fixed."""

    def sanitize_file_name(self, file_name: str) -> str | None:
        clean = super().sanitize_file_name(file_name)
        sent = html.unescape(file_name)
        if clean == sent:
            return clean
        for handler in self._upload_handlers:
            if isinstance(handler, EvidenceUploadHandler):
                handler.raw_name = sent
        # A name Django would drop altogether ("..") still arrives, to be refused by name.
        return clean or "file"


def evidence_upload_limits(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a view whose form takes evidence files: a body over EVIDENCE_MAX_BODY_BYTES gets a
    413 page unread, and each file is checked while it streams in (see the module's doc).

    The CSRF check reads the body, so it runs here, after the handlers are in place (as Django's
    docs on changing upload handlers describe); the view stays protected."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.EVIDENCE_MAX_BODY_BYTES:
            return render(
                request,
                "tickets/portal/upload_too_large.html",
                {
                    "max_files": settings.EVIDENCE_MAX_FILES,
                    "max_megabytes": settings.EVIDENCE_MAX_FILE_BYTES // 1024 // 1024,
                },
                status=413,
            )
        request.upload_handlers.insert(0, EvidenceUploadHandler(request))

        def parse_file_upload(META: Any, post_data: Any) -> Any:  # noqa: N803 - Django's name
            # As HttpRequest.parse_file_upload does, with our parser instead of Django's.
            request.upload_handlers = ImmutableList(
                request.upload_handlers,
                warning="You cannot alter upload handlers after the upload has been processed.",
            )
            parser = EvidenceMultiPartParser(
                META, post_data, request.upload_handlers, request.encoding
            )
            return parser.parse()

        # The one place a request lets another parser in: Django builds its own here.
        request.parse_file_upload = parse_file_upload  # type: ignore[method-assign]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)
