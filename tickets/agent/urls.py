from django.urls import path

from tickets.agent import cases, home

# Included by tickets/urls.py into the "tickets" namespace.
urlpatterns = [
    path("agent/", home.agent_home, name="agent-home"),
    path("agent/cases/", cases.agent_case_list, name="agent-case-list"),
    path("agent/cases/bulk/", cases.agent_case_bulk, name="agent-case-bulk"),
]
