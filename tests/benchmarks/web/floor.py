"""The floor views: what Django itself costs on this machine, to measure the app against."""

from functools import cache

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.backends.django import Template

from tickets.agent.workspace import agent_page
from tickets.models import Customer

TEMPLATE = "<!doctype html><title>{{ customer.name }}</title><p>{{ customer.email }}</p>\n"


def floor_2b(request: HttpRequest) -> HttpResponse:
    """A 2-byte answer: the middleware and the routing, nothing else."""
    return HttpResponse(b"ok", content_type="text/plain")


def floor_pk(request: HttpRequest, pk: int) -> HttpResponse:
    """One primary-key lookup rendered through a tiny template: the floor-PK."""
    customer = get_object_or_404(Customer, pk=pk)
    return HttpResponse(template().render({"customer": customer}))


@agent_page
def floor_signed_in(request: HttpRequest, pk: int) -> HttpResponse:
    """The floor-PK for a signed-in agent, behind the dashboard's own checks (session, user,
    permission, never cached): what every dashboard page costs before its own work."""
    return floor_pk(request, pk)


@cache
def template() -> Template:
    # Compiled once per process, as Django's cached template loader does for files.
    return engines["django"].from_string(TEMPLATE)
