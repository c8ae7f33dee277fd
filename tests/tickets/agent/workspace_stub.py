"""The site's URLs plus a stand-in for the case workspace (`tickets:agent-case`), for the
compensation tests while that page is built elsewhere: it shows the case's compensation panel
in the agent layout. Used only when the real page is missing (compensation_support)."""

from django.http import Http404
from django.template import RequestContext, Template
from django.template.response import HttpResponse
from django.urls import URLResolver, include, path

import aftersales.urls as site
import tickets.urls as tickets_urls
from tickets import selectors

PAGE = Template(
    '{% extends "tickets/agent/base.html" %}{% load agent_compensation %}'
    "{% block content %}<h1>{{ case.number }}</h1>"
    '<aside class="stub-context">{% compensation_panel case %}</aside>{% endblock content %}'
)


def case_stub(request, number: str) -> HttpResponse:
    case = selectors.case_get(number=number, user=request.user)
    if case is None:
        raise Http404
    return HttpResponse(PAGE.render(RequestContext(request, {"case": case})))


def _is_tickets(pattern) -> bool:
    return isinstance(pattern, URLResolver) and pattern.app_name == "tickets"


tickets_patterns = (
    [
        path("agent/cases/<str:number>/", case_stub, name="agent-case"),
        *tickets_urls.urlpatterns,
    ],
    "tickets",
)
urlpatterns = [
    *(pattern for pattern in site.urlpatterns if not _is_tickets(pattern)),
    path("", include(tickets_patterns)),
]
handler400 = site.handler400
handler403 = site.handler403
handler404 = site.handler404
handler500 = site.handler500
