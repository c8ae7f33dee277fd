"""Evidence files, served to the case's customer only."""

from django.http import Http404


def attachment_download(request, pk: int):
    raise Http404
