"""Signing in: password, then the two-factor code when the user has a device; enrolment of a
TOTP app; the lockout page django-axes shows after repeated failures.

Nobody is signed in between the password and the code: the session only remembers, for
TWO_FACTOR_PENDING_SECONDS, whose password was right. A wrong code counts as a failed sign-in
for django-axes, like a wrong password, so the code cannot be guessed either."""

from base64 import b32encode
from datetime import timedelta
from urllib.parse import urlencode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from tickets import selectors
from tickets.errors import ApplicationError, InvalidTwoFactorCode
from tickets.services.two_factor import (
    totp_code_verify,
    totp_device_confirm,
    totp_device_remove,
    totp_device_start,
)

PENDING = "two_factor_pending"


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": r"[0-9 ]*",
            }
        ),
    )


def _next(request: HttpRequest) -> str:
    """Where to go after signing in: the `next` the request names, if it is ours."""
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


class AgentLoginView(auth_views.LoginView):
    """Username and password. A user with a two-factor device is asked for the code next, on
    its own page, before anything signs them in."""

    template_name = "tickets/agent_login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if selectors.user_totp_device(user=user) is None:
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": timezone.now().timestamp(),
        }
        return redirect(_with_next("tickets:agent-login-code", self.get_success_url()))


def _pending_user(request: HttpRequest):
    """(user, backend) whose password was right moments ago and whose code is due, or None."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    age = timezone.now().timestamp() - pending["at"]
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not 0 <= age <= settings.TWO_FACTOR_PENDING_SECONDS:
        del request.session[PENDING]
        return None
    return user, pending["backend"]


@never_cache
@sensitive_post_parameters("code")
def agent_login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the user's app. Wrong codes count as failed sign-ins."""
    next_url = _next(request)
    pending = _pending_user(request)
    if pending is None:
        if request.method == "POST":
            messages.info(request, _("That took too long; sign in again."))
        return redirect(_with_next("tickets:agent-login", next_url))
    user, backend = pending
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return lockout_response(request, None, credentials)
    device = selectors.user_totp_device(user=user)
    if device is None:  # removed meanwhile (a supervisor reset it): the password is enough
        del request.session[PENDING]
        login(request, user, backend=backend)
        return redirect(next_url)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_code_verify(device=device, code=form.cleaned_data["code"])
        except InvalidTwoFactorCode as exc:
            # django-axes counts it; at the limit its middleware answers with the lockout page.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            form.add_error("code", str(exc))
        except ApplicationError as exc:
            form.add_error("code", str(exc))
        else:
            del request.session[PENDING]
            user.otp_device = device  # django-otp marks the session verified on login
            login(request, user, backend=backend)
            return redirect(next_url)
    return render(
        request, "tickets/agent_login_code.html", {"form": form, "next": next_url, "user_": user}
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer once an account or address is locked out (AXES_LOCKOUT_CALLABLE):
    429 with Retry-After and a page that says how long."""
    request.session.pop(PENDING, None)
    cool_off = get_cool_off(request) or timedelta(0)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    response = render(
        request,
        "tickets/agent_lockout.html",
        {"minutes": minutes, "login_url": reverse("tickets:agent-login")},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# --- enrolment --------------------------------------------------------------------------------


def _qr_svg(config_url: str) -> str:
    # segno draws it here, as inline SVG: the secret never leaves the server for a QR service.
    return segno.make(config_url, error="m").svg_inline(
        scale=5, title=_("QR code for your authenticator app")
    )


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@sensitive_post_parameters("code")
def agent_two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan, then confirm with a first code) or off."""
    user = request.user
    next_url = _next(request)
    device = selectors.user_totp_device(user=user)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if device is not None:
                totp_device_remove(user=user, code=code)
                messages.success(request, _("Two-factor sign-in is off."))
            else:
                device = totp_device_confirm(device=totp_device_start(user=user), code=code)
                otp_login(request, device)
                messages.success(
                    request, _("Two-factor sign-in is on. The next sign-in asks for a code.")
                )
                return redirect(next_url)
        except ApplicationError as exc:
            form.add_error("code", str(exc))
        else:
            return redirect("tickets:agent-two-factor")
    context = {
        "form": form,
        "next": next_url,
        "enabled": device is not None,
        "required": selectors.user_must_enrol_two_factor(user=user),
    }
    if device is None:
        pending = totp_device_start(user=user)
        context["qr_svg"] = mark_safe(_qr_svg(pending.config_url))  # noqa: S308 (segno's markup)
        context["secret"] = _grouped(b32encode(pending.bin_key).decode())
    return render(request, "tickets/agent_two_factor.html", context)
