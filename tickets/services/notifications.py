"""notify(): the one way to tell a customer something. It decides the channels, renders the
templates in the customer's language and time zone, and writes Notification rows in the
caller's transaction; a worker delivers them after commit (tickets.services.delivery)."""

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tickets.models import Case, Customer, Notification
from tickets.validators import validate_e164

logger = logging.getLogger(__name__)

# GSM 03.38: characters of the basic set count one, those of the extension table two.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")


def sms_segments(text: str) -> int:
    """How many SMS parts `text` takes: GSM-7 160/153 characters, else UCS-2 70/67 (counted in
    UTF-16 units, so an emoji counts two)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENDED for char in text):
        units, single, multi = sum(2 if c in GSM7_EXTENDED else 1 for c in text), 160, 153
    else:
        units, single, multi = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else -(-units // multi)


@dataclass(frozen=True)
class Rendered:
    subject: str = ""
    body: str = ""
    body_html: str = ""


def _render(event: str, channel: str, context: dict[str, Any]) -> Rendered:
    folder = f"notifications/{event}"
    if channel == Notification.Channel.SMS:
        return Rendered(body=_squash(render_to_string(f"{folder}/sms.txt", context)))
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
    return f"reply+{_reply_token(case.number)}@{settings.REPLY_DOMAIN}"


def _reply_token(number: str) -> str:
    signature = hmac.new(
        settings.SECRET_KEY.encode(), f"reply:{number}".encode(), hashlib.sha256
    ).hexdigest()[:16]
    return f"{number.lower()}.{signature}"


def case_number_from_reply_address(address: str) -> str | None:
    """The case number signed into a reply address, or None if it is not ours or forged."""
    match = re.search(r"reply\+([a-z0-9-]+)\.([0-9a-f]{16})@", address.lower())
    if not match:
        return None
    number = match.group(1).upper()
    return number if hmac.compare_digest(_reply_token(number), match.group(0)[6:-1]) else None


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


def _channels(customer: Customer) -> list[str]:
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
    message or timeline event id). Delivery is enqueued when the caller's transaction commits."""
    from tickets.tasks import notification_deliver

    now = timezone.now()
    language = case.language if case else customer.language
    context = {
        "customer": customer,
        "case": case,
        "site_url": settings.SITE_URL,
        "portal_url": f"{settings.SITE_URL}/portal/",
        **(context or {}),
    }
    rows = []
    for channel in _channels(customer):
        idempotency_key = f"{event}:{key}:{channel}"
        if Notification.objects.filter(idempotency_key=idempotency_key).exists():
            continue
        rendered = render(
            event=event, channel=channel, language=language, tz=customer.timezone, context=context
        )
        is_sms = channel == Notification.Channel.SMS
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
                transaction.on_commit(partial(notification_deliver.delay, notification.pk))
    return rows
