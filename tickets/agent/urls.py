from django.urls import path

from tickets import views
from tickets.agent import collab, compensations, reports, workspace

# Included by tickets/urls.py into the "tickets" namespace.
urlpatterns = [
    path("agent/", views.agent_home, name="agent-home"),
    path(
        "agent/cases/<str:number>/compensations/",
        compensations.compensation_propose,
        name="agent-compensation-propose",
    ),
    path(
        "agent/compensations/<int:pk>/<str:action>/",
        compensations.compensation_action,
        name="agent-compensation-action",
    ),
    path(
        "agent/compensations/",
        compensations.compensation_queue,
        name="agent-compensation-queue",
    ),
    path("agent/cases/<str:number>/", workspace.case_workspace, name="agent-case"),
    path("agent/cases/<str:number>/reply/", workspace.case_reply, name="agent-case-reply"),
    path("agent/cases/<str:number>/update/", workspace.case_update, name="agent-case-update"),
    path(
        "agent/cases/<str:number>/portal-link/",
        workspace.case_portal_link,
        name="agent-case-portal-link",
    ),
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
    path("agent/reports/", reports.agent_reports, name="agent-reports"),
    path("agent/reports/<slug:slug>.csv", reports.agent_report_csv, name="agent-report-csv"),
]
