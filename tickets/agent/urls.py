from django.urls import path

from tickets import views
from tickets.agent import availability

# Included by tickets/urls.py into the "tickets" namespace.
urlpatterns = [
    path("agent/", views.agent_home, name="agent-home"),
    path("agent/away/", availability.agent_away, name="agent-away"),
]
