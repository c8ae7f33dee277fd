"""Access to the customer portal without an account: magic links, their rate limits and the
audit trail of signing in and out.

A link's token (secrets.token_urlsafe(32), 256 random bits) lives only in the email: the
database keeps its SHA-256, the audit keeps neither, and no log line names it. The email goes
out directly through Django's mail API, not the Notification outbox, because outbox rows keep
the rendered body and with it the token."""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tickets.errors import ApplicationError
from tickets.models import Case, Customer, Order, PortalAccessEvent, PortalLink
from tickets.selectors.portal_access import (
    portal_email_hash,
    portal_link_get,
    portal_link_refusal,
    portal_order_for,
    portal_token_hash,
)
from tickets.services import queue

logger = logging.getLogger(__name__)

Kind = PortalAccessEvent.Kind
TOKEN_BYTES = 32  # 256 random bits; the issue asks for at least 128
RATE_WINDOW_SECONDS = 60 * 60
# What the audit keeps of the typed order number: enough to read it, never a whole pasted essay.
TYPED_MAX_LENGTH = 64


class PortalLinkRefused(ApplicationError):
    """A link that cannot sign anyone in; `reason` is unknown, used, voided or expired and
    `link` is the stored link (None when unknown), so a page can offer a new one."""

    code = "portal_link_refused"
    reason = "unknown"

    def __init__(self, link: PortalLink | None = None) -> None:
        super().__init__(str(_("This sign-in link no longer works.")), reason=self.reason)
        self.link = link


class PortalLinkUnknown(PortalLinkRefused):
    code = "portal_link_unknown"
    reason = "unknown"


class PortalLinkUsed(PortalLinkRefused):
    code = "portal_link_used"
    reason = "used"


class PortalLinkVoided(PortalLinkRefused):
    code = "portal_link_voided"
    reason = "voided"


class PortalLinkExpired(PortalLinkRefused):
    code = "portal_link_expired"
    reason = "expired"


REFUSALS: dict[str, type[PortalLinkRefused]] = {
    "used": PortalLinkUsed,
    "voided": PortalLinkVoided,
    "expired": PortalLinkExpired,
}


class CustomerWithoutEmail(ApplicationError):
    code = "customer_without_email"

    def __init__(self, number: str) -> None:
        super().__init__(
            _(
                "The customer of case %(number)s has no email address, so no sign-in link "
                "can be sent. Add their address first."
            )
            % {"number": number},
            number=number,
        )


@dataclass(frozen=True)
class SignIn:
    customer: Customer
    link: PortalLink


# --- the audit --------------------------------------------------------------------------------


def portal_event_record(
    *,
    kind: str,
    ip: str | None = None,
    customer: Customer | None = None,
    customer_id: int | None = None,
    order: Order | None = None,
    link: PortalLink | None = None,
    actor: AbstractBaseUser | None = None,
    actor_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> PortalAccessEvent:
    """One line of the portal's audit trail. Callers pass what was typed (order number, the
    email's hash) or why a link was refused in `data`; never a token."""
    return PortalAccessEvent.objects.create(
        kind=kind,
        customer_id=customer.pk if customer is not None else customer_id,
        order=order,
        link=link,
        actor_id=actor.pk if actor is not None else actor_id,
        ip_address=ip,
        data=data or {},
    )


def _typed(order_ref: str, email: str) -> dict[str, str]:
    return {"order": order_ref.strip()[:TYPED_MAX_LENGTH], "email_sha256": portal_email_hash(email)}


# --- rate limits ------------------------------------------------------------------------------


def _count(key: str) -> tuple[int, int]:
    """(requests in the current window including this one, seconds until the window ends),
    counted atomically in the cache (cache.add then cache.incr: Redis INCR in production)."""
    now = int(timezone.now().timestamp())
    # The window opens with its first request; its start is kept beside the count so that
    # Retry-After can say when it closes.
    cache.add(f"{key}:start", now, timeout=RATE_WINDOW_SECONDS)
    cache.add(key, 0, timeout=RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.add(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    start = cache.get(f"{key}:start", now)
    return count, max(1, int(start) + RATE_WINDOW_SECONDS - now)


def portal_link_rate_check(*, email: str, ip: str | None) -> int | None:
    """Count one link request against the limits per email (PORTAL_LINK_LIMIT_PER_EMAIL an
    hour) and per client address (PORTAL_LINK_LIMIT_PER_IP); None while within both, else the
    seconds until the request may be made again."""
    waits = []
    count, wait = _count(f"portal-link:email:{portal_email_hash(email)}")
    if count > settings.PORTAL_LINK_LIMIT_PER_EMAIL:
        waits.append(wait)
    if ip:
        count, wait = _count(f"portal-link:ip:{ip}")
        if count > settings.PORTAL_LINK_LIMIT_PER_IP:
            waits.append(wait)
    return max(waits) if waits else None


@transaction.atomic
def portal_link_rate_limited(*, order_ref: str, email: str, ip: str | None) -> None:
    """Audit a link request refused for being over a limit; nothing is queued."""
    portal_event_record(kind=Kind.LINK_RATE_LIMITED, ip=ip, data=_typed(order_ref, email))


# --- asking for a link ------------------------------------------------------------------------


@transaction.atomic
def portal_link_request_queue(
    *, order_ref: str, email: str, ip: str | None, next_path: str = ""
) -> None:
    """Audit a link request from the access form and hand it to the worker after commit. It
    looks nothing up, so the answer and its timing are the same whether the order exists."""
    portal_event_record(kind=Kind.LINK_REQUESTED, ip=ip, data=_typed(order_ref, email))
    queue.enqueue_on_commit(
        queue.PORTAL_LINK_SEND, order_ref.strip(), email.strip(), ip, next_path, None
    )


@transaction.atomic
def portal_link_send_by_agent(*, case: Case, actor: AbstractBaseUser) -> None:
    """Have the worker email `case`'s customer a sign-in link that leads to the case. Raises
    CustomerWithoutEmail when there is no address to send it to."""
    customer = case.customer
    if not customer.email:
        raise CustomerWithoutEmail(case.number)
    portal_event_record(
        kind=Kind.LINK_REQUESTED,
        customer=customer,
        order=case.order,
        actor=actor,
        data={"case": case.number},
    )
    next_path = reverse("tickets:portal-case", args=[case.number])
    queue.enqueue_on_commit(
        queue.PORTAL_LINK_SEND, case.number, customer.email, None, next_path, actor.pk
    )


def portal_link_request(
    *,
    order_ref: str,
    email: str,
    ip: str | None = None,
    next_path: str = "",
    actor_id: int | None = None,
) -> PortalLink | None:
    """The worker's half of a link request: find the order by number (or a case by number)
    whose customer has `email`; if there is one, make a new link (voiding the customer's older
    unused links for that order) and email it, else send nothing. Both outcomes are audited.
    Returns the link, or None when nothing matched."""
    order, case = portal_order_for(reference=order_ref, email=email)
    if order is None and case is None:
        portal_event_record(
            kind=Kind.LINK_NOT_SENT, ip=ip, actor_id=actor_id, data=_typed(order_ref, email)
        )
        return None
    customer = case.customer if case is not None else order.customer  # type: ignore[union-attr]
    if case is not None and not next_path:
        next_path = reverse("tickets:portal-case", args=[case.number])
    link, token = _link_create(
        customer=customer, order=order, next_path=next_path, actor_id=actor_id
    )
    _link_email(link=link, token=token)
    portal_event_record(
        kind=Kind.LINK_SENT,
        ip=ip,
        customer=customer,
        order=order,
        link=link,
        actor_id=actor_id,
        data=_typed(order_ref, email),
    )
    return link


# The link is written in its own transaction and the email sent after it commits: a slow mail
# server holds no lock, and a link that failed to send is simply never used.
@transaction.atomic
def _link_create(
    *, customer: Customer, order: Order | None, next_path: str, actor_id: int | None
) -> tuple[PortalLink, str]:
    now = timezone.now()
    # Lock the customer: two requests at once must not leave two usable links for one order.
    Customer.objects.select_for_update().filter(pk=customer.pk).first()
    PortalLink.objects.filter(
        customer=customer, order=order, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PortalLink.objects.create(
        token_hash=portal_token_hash(token),
        customer=customer,
        order=order,
        next_path=next_path[:200],
        sent_by_id=actor_id,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.PORTAL_LINK_MAX_AGE_SECONDS),
    )
    return link, token


def _link_email(*, link: PortalLink, token: str) -> None:
    """Email the link to its customer, in their language and time zone."""
    customer = link.customer
    context = {
        "customer": customer,
        "order": link.order,
        "url": f"{settings.SITE_URL}{reverse('tickets:portal-link', args=[token])}",
        "expires_at": link.expires_at,
        "minutes": max(1, settings.PORTAL_LINK_MAX_AGE_SECONDS // 60),
        "portal_url": f"{settings.SITE_URL}{reverse('tickets:portal-home')}",
    }
    with timezone.override(ZoneInfo(customer.timezone)), translation.override(customer.language):
        subject = " ".join(render_to_string("portal_link/subject.txt", context).split())
        body = render_to_string("portal_link/body.txt", context).strip() + "\n"
        body_html = render_to_string("portal_link/body.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[customer.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(body_html, "text/html")
    message.send()


# --- using a link, signing out ----------------------------------------------------------------


def portal_link_use(*, token: str, ip: str | None = None) -> SignIn:
    """Use the link named by `token` once: it is marked used and the sign-in audited. Raises a
    PortalLinkRefused subclass (unknown, used, voided, expired), audited with the reason."""
    link = portal_link_get(token=token)
    if link is None:
        portal_event_record(kind=Kind.LINK_REFUSED, ip=ip, data={"reason": "unknown"})
        raise PortalLinkUnknown()
    with transaction.atomic():
        now = timezone.now()
        reason = portal_link_refusal(link=link, now=now)
        # The status-filtered update is the claim: of two requests at once, one updates a row.
        claimed = (
            reason is None
            and PortalLink.objects.filter(
                pk=link.pk, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now
            ).update(used_at=now)
            == 1
        )
        if claimed:
            link.used_at = now
            portal_event_record(
                kind=Kind.SIGNED_IN, ip=ip, customer=link.customer, order=link.order, link=link
            )
            return SignIn(customer=link.customer, link=link)
    link.refresh_from_db()
    reason = portal_link_refusal(link=link, now=now) or "used"
    portal_event_record(
        kind=Kind.LINK_REFUSED,
        ip=ip,
        customer=link.customer,
        order=link.order,
        link=link,
        data={"reason": reason},
    )
    raise REFUSALS[reason](link)


@transaction.atomic
def portal_signed_out(*, customer_id: int, ip: str | None) -> None:
    """Audit a sign-out (the session is already ended)."""
    portal_event_record(kind=Kind.SIGNED_OUT, ip=ip, customer_id=customer_id)


@transaction.atomic
def portal_session_expired(*, customer_id: int, ip: str | None) -> None:
    """Audit a portal session that ran out (idle or too old)."""
    portal_event_record(kind=Kind.SESSION_EXPIRED, ip=ip, customer_id=customer_id)
