from django.urls import path

from tickets.agent import availability, cases, collab, compensations, home, reports, workspace

# Included by tickets/urls.py into the "tickets" namespace. Fixed paths under agent/cases/ come
# before agent/cases/<number>/, which would take them for a case number.
urlpatterns = [
    path("agent/", home.agent_home, name="agent-home"),
    path("agent/away/", availability.agent_away, name="agent-away"),
    # The list and its bulk actions (tickets/agent/cases.py).
    path("agent/cases/", cases.agent_case_list, name="agent-case-list"),
    path("agent/cases/bulk/", cases.agent_case_bulk, name="agent-case-bulk"),
    path("agent/cases/pane/", cases.agent_queue_pane, name="agent-queue-pane"),
    # The case workspace (tickets/agent/workspace.py).
    path("agent/cases/<str:number>/", workspace.case_workspace, name="agent-case"),
    path("agent/cases/<str:number>/reply/", workspace.case_reply, name="agent-case-reply"),
    path("agent/cases/<str:number>/update/", workspace.case_update, name="agent-case-update"),
    path(
        "agent/cases/<str:number>/portal-link/",
        workspace.case_portal_link,
        name="agent-case-portal-link",
    ),
    # Compensation (tickets/agent/compensations.py).
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
    # Reports (tickets/agent/reports.py).
    path("agent/reports/", reports.agent_reports, name="agent-reports"),
    path("agent/reports/<slug:slug>.csv", reports.agent_report_csv, name="agent-report-csv"),
]
