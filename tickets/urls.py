from django.contrib.auth.views import LogoutView
from django.urls import include, path, re_path

from tickets import auth_views, views

app_name = "tickets"
urlpatterns = [
    path("agent/login/", auth_views.AgentLoginView.as_view(), name="agent-login"),
    path("agent/login/code/", auth_views.agent_login_code, name="agent-login-code"),
    path("agent/two-factor/", auth_views.agent_two_factor, name="agent-two-factor"),
    path("agent/logout/", LogoutView.as_view(), name="agent-logout"),
    path("", include("tickets.agent.urls")),
    path("agent/workers/check/", views.agent_check_workers, name="agent-check-workers"),
    path("agent/outbox/", views.agent_outbox, name="agent-outbox"),
    path(
        "agent/attachments/<int:pk>/",
        views.agent_attachment_download,
        name="agent-attachment-download",
    ),
    path(
        "agent/notifications/failed/",
        views.agent_notifications_failed,
        name="agent-notifications-failed",
    ),
    path(
        "agent/notifications/<int:pk>/retry/",
        views.agent_notification_retry,
        name="agent-notification-retry",
    ),
    path("", include("tickets.portal.urls")),
    # The short links in SMS: no trailing slash, every character counts.
    path("s/<str:code>", views.short_link_follow, name="short-link"),
    # Exactly one digit 1-5: "05", "6" or "five" match nothing and are a 404.
    re_path(
        r"^portal/rate/(?P<token>[^/]+)/(?P<score>[1-5])/$", views.portal_rate, name="portal-rate"
    ),
]
