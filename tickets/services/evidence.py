"""Evidence uploads (photos, PDFs) checked and cleaned before they become attachments.

PLACEHOLDER until the uploads work lands: passes files through unchanged."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile


def evidence_prepare(uploads: Sequence["UploadedFile[bytes]"]) -> list["UploadedFile[bytes]"]:
    """The files to store for `uploads`; raises EvidenceRefused naming the file refused."""
    return list(uploads)
