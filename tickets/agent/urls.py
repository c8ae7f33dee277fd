from django.urls import path

from tickets import views

# Included by tickets/urls.py into the "tickets" namespace.
urlpatterns = [
    path("agent/", views.agent_home, name="agent-home"),
]
