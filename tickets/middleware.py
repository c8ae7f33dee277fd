"""Two-factor sign-in, enforced on every page: the one place that decides, so no view can
forget it."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tickets import selectors

# What a signed-in user may still reach while the middleware holds them: signing in and out,
# enrolling, and switching the language of those pages.
OPEN_VIEWS = frozenset(
    {
        "tickets:agent-login",
        "tickets:agent-login-code",
        "tickets:agent-logout",
        "tickets:agent-two-factor",
        "set_language",
    }
)


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware (which tells whether the session was verified by a
    code). A signed-in user who has a device but a session without its code (signed in before
    the device existed, elsewhere) signs in again; a user who must use two-factor sign-in
    (TWO_FACTOR_REQUIRED_FOR_SUPERVISORS) and has no device is sent to enrol first. The API
    answers those in its error shape instead of redirecting."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or (match and match.view_name in OPEN_VIEWS):
            return None
        if user.is_verified():  # type: ignore[union-attr]
            return None
        api = request.path_info.startswith("/api/")
        if selectors.user_has_totp_device(user=user):
            logout(request)
            if api:
                return _api_refusal(_("Sign in again with your two-factor code."), 401)
            return redirect_to_login(request.get_full_path())
        if selectors.user_must_enrol_two_factor(user=user):
            if api:
                return _api_refusal(
                    _("Set up two-factor sign-in at /agent/two-factor/ first."), 403
                )
            enrol = reverse("tickets:agent-two-factor")
            return redirect(f"{enrol}?{urlencode({'next': request.get_full_path()})}")
        return None


def _api_refusal(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "code": "two_factor_required"}, status=status)
