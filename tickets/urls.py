from django.contrib.auth import views as auth_views
from django.urls import path

from tickets import views

app_name = "tickets"
urlpatterns = [
    path("agent/login/", views.AgentLoginView.as_view(), name="agent-login"),
    path("agent/logout/", auth_views.LogoutView.as_view(), name="agent-logout"),
    path("agent/", views.agent_home, name="agent-home"),
    path("agent/workers/check/", views.agent_check_workers, name="agent-check-workers"),
    path("portal/", views.portal_home, name="portal-home"),
]
