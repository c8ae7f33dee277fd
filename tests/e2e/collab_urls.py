"""A stand-in for the case workspace (built by another part of the dashboard): the site's URLs
plus one test-only page that holds the collaboration tags where the workspace puts them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import include, path

from tickets import selectors


@login_required
def workspace_stand_in(request, number):
    case = selectors.case_get(number=number, user=request.user)
    if case is None:
        raise Http404
    return HttpResponse(PAGE.render({"case": case}, request))


PAGE = engines["django"].from_string(
    """{% extends "tickets/agent/base.html" %}{% load agent_collab %}
{% block presence %}{% presence_bar case %}{% endblock presence %}
{% block content %}
<h1>{{ case.number }}</h1>
<div style="display:flex;gap:24px">
<form id="composer" method="post" action="#" style="flex:1">{% csrf_token %}
<textarea id="composer-body" name="body" rows="8"></textarea>
{% macro_picker case %}
</form>
<aside style="width:320px">{% merge_action case %}</aside>
</div>
{% endblock content %}"""
)


urlpatterns = [
    path("e2e/cases/<str:number>/", workspace_stand_in, name="e2e-workspace"),
    path("", include("aftersales.urls")),
]
