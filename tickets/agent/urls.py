from django.urls import path

from tickets import views
from tickets.agent import compensations

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
]
