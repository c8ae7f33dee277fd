"""notify(): the one way to tell a customer something. It decides the channels, renders the
templates in the customer's language and time zone, and writes Notification rows in the
caller's transaction; a worker delivers them after commit (tickets.services.delivery), queued by
name through tickets.services.queue."""

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from tickets.models import Case, Customer, Notification
from tickets.scenarios import notification_context
from tickets.services import queue
from tickets.services.sms_texts import render_sms, short_link_for
from tickets.validators import validate_e164

logger = logging.getLogger(__name__)

# Where a notification without a case links to unless the event names another page
# (context "link_path"); one about a case links to the case's portal page (portal_case_path).
PORTAL_PATH = "/portal/"


@dataclass(frozen=True)
class Rendered:
    subject: str = ""
    body: str = ""
    body_html: str = ""


def _render(event: str, channel: str, context: dict[str, Any]) -> Rendered:
    folder = f"notifications/{event}"
    if channel == Notification.Channel.SMS:
        return Rendered(body=render_sms(event, context))
    return Rendered(
        subject=_squash(render_to_string(f"{folder}/subject.txt", context)),
        body=render_to_string(f"{folder}/body.txt", context).strip() + "\n",
        body_html=render_to_string(f"{folder}/body.html", context),
    )


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def render(
    *, event: str, channel: str, language: str, tz: str, context: dict[str, Any]
) -> Rendered:
    """The message in `language` and time zone `tz`; where the catalog lacks a translation the
    English text is sent and the gap logged."""
    with timezone.override(ZoneInfo(tz)):
        with translation.override(language):
            rendered = _render(event, channel, context)
        if language != "en":
            with translation.override("en"):
                english = _render(event, channel, context)
            # Compare the one line with no dates or markup in it (the subject, or the whole SMS):
            # the same text as in English means the catalog had no translation for it.
            if (rendered.subject or rendered.body) == (english.subject or english.body):
                logger.warning(
                        "Notification %s/%s has no %s translation; sent in English.",
                        event, channel, language,
                    )  # fmt: skip
    return rendered


def reply_address(case: Case) -> str:
    """reply+<case number>.<signature>@REPLY_DOMAIN: a reply finds its case by this alone."""
    return f"reply+{case.number.lower()}.{_reply_signature(case.number)}@{settings.REPLY_DOMAIN}"


# Hex, not Signer's base64: mail systems may change the case of an address's local part, and
# hex survives that (addresses are read lower-cased). 16 hex digits = 64 bits.
REPLY_SALT = "tickets.reply-address"


def _reply_signature(number: str, secret: str | None = None) -> str:
    return salted_hmac(REPLY_SALT, number, secret=secret, algorithm="sha256").hexdigest()[:16]


def _legacy_reply_signature(number: str, secret: str) -> str:
    # The form signed before salted_hmac (until issue 7): HMAC-SHA256(SECRET_KEY, "reply:<n>").
    # Customers answer weeks or months later, so addresses already sent keep working; drop it
    # once no case from before the switch can still get a reply (a year on).
    return hmac.new(secret.encode(), f"reply:{number}".encode(), hashlib.sha256).hexdigest()[:16]


def case_number_from_reply_address(address: str) -> str | None:
    """The case number signed into a reply address, or None if it is not ours or forged.
    Signatures by SECRET_KEY_FALLBACKS, and of the earlier form, are accepted too."""
    match = re.search(r"reply\+([a-z0-9-]+)\.([0-9a-f]{16})@", address.lower())
    if not match:
        return None
    number, signature = match.group(1).upper(), match.group(2)
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        for expected in (_reply_signature(number, secret), _legacy_reply_signature(number, secret)):
            if hmac.compare_digest(expected, signature):
                return number
    return None


def message_id_for(idempotency_key: str) -> str:
    """The same Message-ID for every send of one notification, so a receiver can drop repeats."""
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:32]
    return f"<{digest}@{settings.REPLY_DOMAIN}>"


def sms_send_time(now: datetime, tz: str) -> datetime:
    """`now`, or the end of the customer's quiet hours (SMS_QUIET_HOURS) if it falls within."""
    start, end = settings.SMS_QUIET_HOURS
    local = now.astimezone(ZoneInfo(tz))
    crosses_midnight = start > end
    quiet = (
        (local.hour >= start or local.hour < end) if crosses_midnight else start <= local.hour < end
    )
    if not quiet:
        return now
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end), tzinfo=ZoneInfo(tz))


def portal_case_path(case: Case) -> str:
    """The case's page in the portal, with `?order=<order number>` when it has an order: the
    portal goes straight there while the customer's session lives, and otherwise through the
    access form, pre-filled with that order number, and back there after signing in."""
    path = reverse("tickets:portal-case", args=[case.number])
    order_number = case.order.number if case.order is not None else ""
    return f"{path}?{urlencode({'order': order_number})}" if order_number else path


def customer_channels(customer: Customer) -> list[str]:
    """The channels `customer` is told on: email, and SMS with their consent and a valid phone."""
    channels: list[str] = [Notification.Channel.EMAIL]
    if customer.sms_consent and customer.phone:
        try:
            validate_e164(customer.phone)
        except ValidationError:
            logger.warning("Customer %s has an invalid phone number; no SMS.", customer.pk)
        else:
            channels.append(Notification.Channel.SMS)
    return channels


def notify(
    *,
    customer: Customer,
    event: str,
    key: str,
    context: dict[str, Any] | None = None,
    case: Case | None = None,
) -> list[Notification]:
    """Write the outbox rows telling `customer` about `event` (a folder under
    templates/notifications/). `key` names this occurrence of the event: the same event and
    key twice make no second row, so `key` must be unique for the event (a case number, a
    message or timeline event id). Delivery is enqueued when the caller's transaction commits
    (a broker that cannot be reached then is logged; the sweeper queues the rows later).

    `context` may name the page the message links to as "link_path" (default: the case's
    portal page, see portal_case_path; /portal/ without a case)."""
    now = timezone.now()
    language = case.language if case else customer.language
    context = {
        "customer": customer,
        "case": case,
        "site_url": settings.SITE_URL,
        **(notification_context(case=case, event=event) if case else {}),
        **(context or {}),
    }
    rows = []
    portal_path = portal_case_path(case) if case else PORTAL_PATH
    # The email's "Follow your case in our customer portal" button leads to the case's page.
    context.setdefault("portal_url", f"{settings.SITE_URL}{portal_path}")
    link_path = context.pop("link_path", portal_path)
    for channel in customer_channels(customer):
        idempotency_key = f"{event}:{key}:{channel}"
        if Notification.objects.filter(idempotency_key=idempotency_key).exists():
            continue
        is_sms = channel == Notification.Channel.SMS
        # A text carries a short link, so its length does not depend on SITE_URL; an email
        # carries the full address.
        link = short_link_for(path=link_path) if is_sms else f"{settings.SITE_URL}{link_path}"
        rendered = render(
            event=event,
            channel=channel,
            language=language,
            tz=customer.timezone,
            context={**context, "link": link},
        )
        due = sms_send_time(now, customer.timezone) if is_sms else now
        notification, created = Notification.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "customer": customer,
                "case": case,
                "channel": channel,
                "template": event,
                "language": language,
                "recipient": customer.phone if is_sms else customer.email,
                "subject": rendered.subject,
                "body": rendered.body,
                "body_html": rendered.body_html,
                "message_id": "" if is_sms else message_id_for(idempotency_key),
                "next_attempt_at": due,
                "enqueued_at": now if due <= now else None,
            },
        )
        if created:
            rows.append(notification)
            if due <= now:
                queue.enqueue_on_commit(queue.NOTIFICATION_DELIVER, notification.pk)
    return rows
