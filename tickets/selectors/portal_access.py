"""Reads for the portal's magic links. None of them writes: opening a link (GET) changes
nothing, so a mail scanner that follows it leaves it usable."""

import hashlib
from datetime import datetime

from django.utils import timezone

from tickets.models import Case, Order, PortalLink


def portal_token_hash(token: str) -> str:
    """The SHA-256 (hex) of a link's token: what PortalLink.token_hash stores."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def portal_email_hash(email: str) -> str:
    """The SHA-256 (hex) of an email address, lower-cased and stripped: what the audit keeps."""
    return hashlib.sha256(email.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()


def portal_link_get(*, token: str) -> PortalLink | None:
    """The link whose token is `token`, with its customer and order, or None."""
    return (
        PortalLink.objects.select_related("customer", "order")
        .filter(token_hash=portal_token_hash(token))
        .first()
    )


def portal_link_refusal(*, link: PortalLink, now: datetime | None = None) -> str | None:
    """Why `link` cannot be used now ("used", "voided", "expired"), or None if it can."""
    if link.used_at is not None:
        return "used"
    if link.voided_at is not None:
        return "voided"
    if link.expires_at <= (now or timezone.now()):
        return "expired"
    return None


def portal_order_for(*, reference: str, email: str) -> tuple[Order | None, Case | None]:
    """What a customer typed into the access form: (order, None) for the order with that number
    whose customer has that email (stores may share numbers: the email picks one), or
    (case's order, case) for a case number of that customer; (None, None) when nothing matches."""
    reference = reference.strip()
    order = (
        Order.objects.select_related("customer")
        .filter(number=reference, customer__email__iexact=email.strip())
        .order_by("-placed_at", "-pk")
        .first()
    )
    if order is not None:
        return order, None
    case = (
        Case.objects.select_related("customer", "order")
        .filter(number=reference.upper(), customer__email__iexact=email.strip())
        .first()
    )
    if case is not None:
        return case.order, case
    return None, None
