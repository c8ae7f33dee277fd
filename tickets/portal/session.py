"""The portal session: which customer this browser is signed in as, kept in Django's
server-side session under one key, apart from any agent sign-in in the same browser.

It ends after PORTAL_SESSION_IDLE_SECONDS without a request or PORTAL_SESSION_MAX_SECONDS after
signing in, whichever comes first, and `portal_session_end` ends it on the server: the cookie alone
is worth nothing afterwards."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from tickets.models import Customer
from tickets.security import client_ip_address
from tickets.services.portal_access import portal_session_expired

SESSION_KEY = "portal"
# Write the "last seen" time back at most this often: not a session save on every request.
SEEN_GRANULARITY_SECONDS = 60


def portal_session_start(request: HttpRequest, *, customer: Customer) -> None:
    """Sign this browser in as `customer`, under a new session key (no fixation)."""
    request.session.cycle_key()
    now = int(timezone.now().timestamp())
    request.session[SESSION_KEY] = {"customer": customer.pk, "started": now, "seen": now}


def portal_session_end(request: HttpRequest) -> int | None:
    """Sign the portal out on the server; returns the customer id it was signed in as."""
    state = request.session.pop(SESSION_KEY, None)
    if state is None:
        return None
    # A new key: the old cookie no longer names a session that knows the customer.
    request.session.cycle_key()
    return int(state["customer"])


def portal_session_state(request: HttpRequest) -> tuple[int | None, bool]:
    """(customer id, expired): the signed-in customer's id, or None with `expired` True when a
    session existed but ran out (idle or past its maximum age) and was ended just now."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return None, False
    now = int(timezone.now().timestamp())
    idle = now - int(state["seen"]) > settings.PORTAL_SESSION_IDLE_SECONDS
    too_old = now - int(state["started"]) > settings.PORTAL_SESSION_MAX_SECONDS
    if idle or too_old:
        del request.session[SESSION_KEY]
        portal_session_expired(customer_id=int(state["customer"]), ip=client_ip_address(request))
        return None, True
    if now - int(state["seen"]) >= SEEN_GRANULARITY_SECONDS:
        request.session[SESSION_KEY] = {**state, "seen": now}
    return int(state["customer"]), False


def portal_customer(request: HttpRequest) -> Customer | None:
    """The customer this browser is signed in as, or None; cached on the request."""
    if not hasattr(request, "_portal_customer"):
        customer_id, _expired = portal_session_state(request)
        customer = Customer.objects.filter(pk=customer_id).first() if customer_id else None
        request._portal_customer = customer  # type: ignore[attr-defined]
    return request._portal_customer  # type: ignore[attr-defined, no-any-return]


def portal_access_url(*, next_path: str = "", order: str = "") -> str:
    """The access form, pre-filled with `order` (an order number), going on to `next_path`."""
    query = {key: value for key, value in (("order", order), ("next", next_path)) if value}
    url = reverse("tickets:portal-home")
    return f"{url}?{urlencode(query)}" if query else url


def portal_customer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only for a signed-in portal customer, set as `request.portal_customer`; anyone else goes
    to the access form, pre-filled with the `order` the link carried, and back here after."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        customer = portal_customer(request)
        if customer is None:
            return redirect(
                portal_access_url(next_path=request.path, order=request.GET.get("order", "")[:64])
            )
        request.portal_customer = customer  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
