"""The signed-in customer's pages: orders, the help wizard, cases."""

from django.http import Http404


def order_list(request):
    raise Http404


def help_start(request, order_id: int):
    raise Http404


def help_branch(request, order_id: int, branch: str):
    raise Http404


def case_new(request, order_id: int):
    raise Http404


def case_list(request):
    raise Http404


def case_detail(request, number: str):
    raise Http404


def case_reply(request, number: str):
    raise Http404
