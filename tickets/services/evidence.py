"""Evidence uploads (photos, PDFs) checked and cleaned before they become attachments.

What a file is comes from its content (its first bytes, then Pillow's own detection), never
from its name or the browser's content type. Images are decoded and encoded again, turned the
way their EXIF orientation says and without metadata (EXIF, GPS, XMP); PDFs are kept as sent.
Every file is checked before any is returned, so a caller stores all of them or none."""

import io
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import pillow_heif
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from tickets.errors import EvidenceRefused

pillow_heif.register_heif_opener()
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvidenceType:
    pillow_format: str  # Pillow's name for the format read; "" for a PDF (never decoded)
    save_format: str  # the format it is stored in (HEIC becomes JPEG)
    content_type: str
    extension: str


JPEG = EvidenceType("JPEG", "JPEG", "image/jpeg", "jpg")
PNG = EvidenceType("PNG", "PNG", "image/png", "png")
WEBP = EvidenceType("WEBP", "WEBP", "image/webp", "webp")
HEIF = EvidenceType("HEIF", "JPEG", "image/jpeg", "jpg")
PDF = EvidenceType("", "", "application/pdf", "pdf")
IMAGE_FORMATS = [kind.pillow_format for kind in (JPEG, PNG, WEBP, HEIF)]
# The ISO-BMFF brands of HEIF still images as phones write them (HEVC-coded, or the generic
# image brands); AVIF and video brands are not among them.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}

# Web page markup anywhere in a file: a polyglot that is a valid picture and a page at once.
# A tag name must be followed by a delimiter, so that compressed picture data, which is random
# to the eye, matches by chance about once in a thousand 10 MB files rather than every 25th.
MARKUP = re.compile(rb"<(?:html|script|svg|iframe|body)[\s/>]|javascript:", re.IGNORECASE)
JPEG_QUALITY = 90


def evidence_type(head: bytes) -> EvidenceType | None:
    """The accepted type the first bytes of a file say it is, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return HEIF
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def evidence_display_name(name: str, *, extension: str) -> str:
    """The name shown for a stored file: the base name without invisible characters, with the
    extension of the type it was stored as."""
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    stem = PurePosixPath(name.strip()).stem.strip() or "file"
    return f"{stem[:200]}.{extension}"


def _refuse_unreadable(name: str) -> EvidenceRefused:
    return EvidenceRefused(
        _("%(name)s is not a photo or PDF we can read (we accept JPEG, PNG, WebP, HEIC and PDF).")
        % {"name": name},
        reason="unreadable",
        name=name,
    )


def evidence_name_check(raw: str) -> str:
    """The name as shown in messages; raises EvidenceRefused for a name with path parts or
    control characters (NUL and the like)."""
    visible = "".join(
        char if unicodedata.category(char)[0] != "C" else "\N{REPLACEMENT CHARACTER}"
        for char in raw
    )
    if visible != raw or "/" in raw or "\\" in raw or raw.strip() in {"", ".", ".."}:
        raise EvidenceRefused(
            _(
                "The file name “%(name)s” cannot be used: it holds folder parts or hidden "
                "characters. Please rename the file and send it again."
            )
            % {"name": visible},
            reason="bad_name",
            name=visible,
        )
    return raw


def evidence_too_large(name: str) -> EvidenceRefused:
    """The refusal of file `name` for being over EVIDENCE_MAX_FILE_BYTES."""
    return EvidenceRefused(
        _("%(name)s is larger than %(limit)s MB. Please send a smaller photo or PDF.")
        % {"name": name, "limit": settings.EVIDENCE_MAX_FILE_BYTES // 1024 // 1024},
        reason="too_large",
        name=name,
    )


def _read(upload: "UploadedFile[bytes]", name: str) -> bytes:
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    if (upload.size or 0) > limit:
        raise evidence_too_large(name)
    upload.seek(0)
    # One byte past the limit tells a file that grew since its size was taken.
    data: bytes = upload.read(limit + 1)
    if len(data) > limit:
        raise evidence_too_large(name)
    return data


def _reencode(data: bytes, kind: EvidenceType, name: str) -> bytes:
    """The picture in `data` decoded and encoded again: upright, without metadata."""
    max_pixels = settings.EVIDENCE_MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data), formats=[kind.pillow_format]) as image:
            width, height = image.size
            # The header's size, before a single pixel is decoded.
            if width * height > max_pixels:
                raise _refuse_pixels(name, max_pixels)
            image.load()
            upright = ImageOps.exif_transpose(image)
        return _encode(upright, kind)
    except EvidenceRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise _refuse_pixels(name, max_pixels) from exc
    except Exception as exc:
        # A malformed file makes Pillow's decoders raise almost anything (OSError, SyntaxError,
        # struct.error, IndexError, ...): to the sender it is one answer, a file we cannot read.
        logger.info("Evidence %r not readable as %s: %r", name, kind.pillow_format, exc)
        raise _refuse_unreadable(name) from exc


def _encode(image: Image.Image, kind: EvidenceType) -> bytes:
    options: dict[str, object] = {}
    if icc := image.info.get("icc_profile"):
        options["icc_profile"] = icc  # colours as the camera meant them; no personal data
    if kind.save_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    elif kind.save_format == "WEBP":
        options.update(quality=JPEG_QUALITY)
    elif "transparency" in image.info:  # a PNG's transparent colour is pixels, not metadata
        options["transparency"] = image.info["transparency"]
    # Nothing else of the original's info (EXIF, GPS, XMP, text chunks, comments) goes along.
    image.info = {}
    out = io.BytesIO()
    image.save(out, format=kind.save_format, **options)
    return out.getvalue()


def _refuse_pixels(name: str, max_pixels: int) -> EvidenceRefused:
    return EvidenceRefused(
        _(
            "%(name)s has more than %(limit)s megapixels. "
            "Please send a smaller photo, or a screenshot of it."
        )
        % {"name": name, "limit": max_pixels // 1_000_000},
        reason="too_many_pixels",
        name=name,
    )


def _prepare_one(upload: "UploadedFile[bytes]") -> "UploadedFile[bytes]":
    refused = getattr(upload, "evidence_refused", None)
    if refused is not None:  # the upload handler already stopped it while it streamed in
        raise refused
    name = evidence_name_check(upload.name or "")
    data = _read(upload, name)
    if MARKUP.search(data):
        raise EvidenceRefused(
            _(
                "%(name)s contains web page code, so we cannot accept it. "
                "Please send the photo or PDF itself."
            )
            % {"name": name},
            reason="markup",
            name=name,
        )
    kind = evidence_type(data[:16])
    if kind is None:
        raise _refuse_unreadable(name)
    content = data if kind is PDF else _reencode(data, kind, name)
    return SimpleUploadedFile(
        evidence_display_name(name, extension=kind.extension), content, kind.content_type
    )


def evidence_prepare(uploads: Sequence["UploadedFile[bytes]"]) -> list["UploadedFile[bytes]"]:
    """The files to store for `uploads`, cleaned: each named, sized and typed by what it holds.

    Raises EvidenceRefused naming the first file refused (or for more than EVIDENCE_MAX_FILES
    files); then none is returned, so nothing gets stored."""
    limit = settings.EVIDENCE_MAX_FILES
    if len(uploads) > limit:
        raise EvidenceRefused(
            _(
                "This message has too many files: the most is %(limit)d. "
                "Please send the rest in another message."
            )
            % {"limit": limit},
            reason="too_many_files",
        )
    # Pillow refuses to open anything past twice this many pixels (a decompression bomb);
    # _reencode's header check refuses anything past it, before decoding.
    Image.MAX_IMAGE_PIXELS = settings.EVIDENCE_MAX_PIXELS
    return [_prepare_one(upload) for upload in uploads]
