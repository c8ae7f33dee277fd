"""Access to the portal: the access form, the magic link's confirm page, signing out."""

from django.http import Http404


def access_form(request):
    raise Http404


def link_sent(request):
    raise Http404


def link_open(request, token: str):
    raise Http404


def sign_out(request):
    raise Http404
