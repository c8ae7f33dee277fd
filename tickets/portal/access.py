"""Access to the portal: the access form, the magic link's confirm page, signing out.

The pages of a link carry its token in their URL: they are never cached (no-store), send a
Referer only within this site, and are marked as logged so that Django's request log (404,
410) does not write the token into a log line."""

import math

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tickets.models import PortalLink
from tickets.portal.forms import PortalAccessForm, safe_next_path
from tickets.portal.session import portal_customer, portal_session_end, portal_session_start
from tickets.scenarios import portal_entries
from tickets.security import client_ip_address
from tickets.selectors.portal_access import portal_link_get, portal_link_refusal
from tickets.services.portal_access import (
    PortalLinkRefused,
    portal_link_rate_check,
    portal_link_rate_limited,
    portal_link_request_queue,
    portal_link_use,
    portal_signed_out,
)
from tickets.views import dev_outbox_enabled

REFUSED_STATUS = {"unknown": 404, "used": 410, "voided": 410, "expired": 410}


def _form_page(request: HttpRequest, form: PortalAccessForm, *, status: int = 200) -> HttpResponse:
    return render(
        request,
        "tickets/portal/access_form.html",
        {"form": form, "entries": portal_entries()},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def access_form(request: HttpRequest) -> HttpResponse:
    """/portal/: order number and email in, a link by email out. The answer is the same page
    whether the order exists or not: the worker looks it up and sends the link."""
    if request.method != "POST":
        next_path = safe_next_path(request.GET.get("next"))
        if portal_customer(request) is not None:
            return redirect(next_path or reverse("tickets:portal-orders"))
        typed = "".join(char for char in request.GET.get("order", "") if char.isprintable())
        initial = {"order": typed.strip()[:64], "next": next_path}
        return _form_page(request, PortalAccessForm(initial=initial))
    form = PortalAccessForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, status=400)
    order_ref, email = form.cleaned_data["order"], form.cleaned_data["email"]
    ip = client_ip_address(request)
    retry_after = portal_link_rate_check(email=email, ip=ip)
    if retry_after is not None:
        portal_link_rate_limited(order_ref=order_ref, email=email, ip=ip)
        response = render(
            request,
            "tickets/portal/rate_limited.html",
            {"minutes": math.ceil(retry_after / 60)},
            status=429,
        )
        response["Retry-After"] = str(retry_after)
        return response
    portal_link_request_queue(
        order_ref=order_ref, email=email, ip=ip, next_path=form.cleaned_data["next"]
    )
    return redirect("tickets:portal-link-sent")


@never_cache
@require_GET
def link_sent(request: HttpRequest) -> HttpResponse:
    """The same answer for every request: if the order exists, a link is on its way."""
    return render(
        request,
        "tickets/portal/link_sent.html",
        {
            "minutes": max(1, settings.PORTAL_LINK_MAX_AGE_SECONDS // 60),
            "dev_outbox": dev_outbox_enabled(),
        },
    )


def _link_page(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # Not "no-referrer": with it browsers post the confirm form with `Origin: null`, which
    # Django's CSRF check rightly refuses. same-origin keeps the token's URL on this site.
    response["Referrer-Policy"] = "same-origin"
    # Django's request log names the path of a 4xx answer, and this path holds the token.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _link_refused(request: HttpRequest, reason: str, link: PortalLink | None) -> HttpResponse:
    order = link.order.number if link is not None and link.order is not None else ""
    form = PortalAccessForm(initial={"order": order, "next": link.next_path if link else ""})
    return render(
        request,
        "tickets/portal/link_refused.html",
        {"reason": reason, "form": form},
        status=REFUSED_STATUS[reason],
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def link_open(request: HttpRequest, token: str) -> HttpResponse:
    """The magic link. GET and HEAD show a confirm page and change nothing (mail scanners
    follow links); the POST from it uses the link, starts the portal session and goes on to a
    URL without the token. A link that cannot be used gets a page to ask for a new one."""
    if request.method != "POST":
        link = portal_link_get(token=token)
        reason = "unknown" if link is None else portal_link_refusal(link=link)
        if reason is not None:
            return _link_page(_link_refused(request, reason, link))
        return _link_page(render(request, "tickets/portal/link_confirm.html", {"link": link}))
    try:
        sign_in = portal_link_use(token=token, ip=client_ip_address(request))
    except PortalLinkRefused as exc:
        return _link_page(_link_refused(request, exc.reason, exc.link))
    portal_session_start(request, customer=sign_in.customer)
    target = safe_next_path(sign_in.link.next_path) or reverse("tickets:portal-orders")
    response = HttpResponseRedirect(target)
    response.status_code = 303
    return _link_page(response)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End the portal session on the server (the old cookie signs no one in afterwards)."""
    customer_id = portal_session_end(request)
    if customer_id is not None:
        portal_signed_out(customer_id=customer_id, ip=client_ip_address(request))
    messages.success(
        request, _("You are signed out. To come back, ask for a new link with your order number.")
    )
    return redirect("tickets:portal-home")
