from django.urls import path

from tickets import views
from tickets.agent import collab

# Included by tickets/urls.py into the "tickets" namespace.
urlpatterns = [
    path("agent/", views.agent_home, name="agent-home"),
    # Macros, presence and merging (tickets/agent/collab.py).
    path("agent/macros/", collab.agent_macro_list, name="agent-macro-list"),
    path("agent/macros/new/", collab.agent_macro_new, name="agent-macro-new"),
    path("agent/macros/<int:pk>/", collab.agent_macro_edit, name="agent-macro-edit"),
    path(
        "agent/cases/<str:number>/macros/<int:pk>/",
        collab.agent_case_macro,
        name="agent-case-macro",
    ),
    path(
        "agent/cases/<str:number>/presence/",
        collab.agent_case_presence,
        name="agent-case-presence",
    ),
    path("agent/cases/<str:number>/merge/", collab.agent_case_merge, name="agent-case-merge"),
]
