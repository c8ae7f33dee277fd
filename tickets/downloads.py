"""One answer for every download of a stored attachment, to agents and customers alike.

An uploaded file is never trusted to be what it says: the browser may not guess another type
(nosniff), and whatever it renders runs sandboxed in an opaque origin with nothing allowed to
load. django-csp's middleware leaves a Content-Security-Policy header that a response already
carries alone, so this one is not replaced by the site's policy for pages."""

import unicodedata

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from tickets.models import Attachment

# Types the customer's browser may show itself (thumbnails, a photo opened full size); anything
# else is always saved as a file. Not PDFs: browsers' PDF viewers do not run under a sandbox
# policy (Chromium shows a blocked page), so a PDF is a download. Agents always get a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}
SANDBOX_POLICY = "default-src 'none'; sandbox"


def attachment_response(
    request: HttpRequest, attachment: Attachment, *, inline: bool = False
) -> HttpResponse:
    """The stored file of `attachment`, streamed from storage with headers that keep it inert;
    `inline` shows a picture in the browser. A file gone from storage gets a 404 page
    saying so."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        # ValueError: the row has no file at all.
        return render(request, "tickets/attachment_gone.html", status=404)
    content_type = attachment.content_type or "application/octet-stream"
    # Names from inbound email never went through evidence_prepare: a line break in one would
    # break the header.
    filename = "".join(c for c in attachment.filename if unicodedata.category(c)[0] != "C")
    response = FileResponse(
        handle,
        as_attachment=not (inline and content_type in INLINE_TYPES),
        filename=filename or "file",
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-cache"
    return response
