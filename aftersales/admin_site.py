"""The admin site: for supervisors (and superusers) only, signed in through the agent login.

The admin has no login form of its own. /admin/login/ sends the visitor to /agent/login/,
which counts failures (django-axes) and asks for the two-factor code, so there is no second
door around either. Only supervisors get in: the admin shows every case whatever the
visibility setting, and its changes go through admin actions that call the services."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from tickets.selectors import user_is_supervisor


class AdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and user_is_supervisor(user=request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        wanted = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            wanted = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(wanted)
            # Signed in but not a supervisor: a plain 403, never a login loop.
            raise PermissionDenied
        return redirect_to_login(wanted, reverse("tickets:agent-login"))
