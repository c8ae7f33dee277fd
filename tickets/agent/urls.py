from django.urls import path

from tickets import views
from tickets.agent import reports

# Included by tickets/urls.py into the "tickets" namespace.
urlpatterns = [
    path("agent/", views.agent_home, name="agent-home"),
    path("agent/reports/", reports.agent_reports, name="agent-reports"),
    path("agent/reports/<slug:slug>.csv", reports.agent_report_csv, name="agent-report-csv"),
]
