"""Delivering the outbox: claim a due row, send it once, record the outcome; retry transient
failures with backoff; the sweeper re-queues rows a lost broker message left behind."""

import logging
import random
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Value,
)
from django.utils import timezone

from tickets.models import Notification
from tickets.services.notifications import reply_address
from tickets.services.timeline import Actor
from tickets.sms import SMS, SMSError, get_backend

logger = logging.getLogger(__name__)

# Retries due within this are queued with a countdown (well under the broker's visibility
# timeout); later ones wait in the database for the sweeper.
MAX_COUNTDOWN = timedelta(minutes=5)
# One sweep queues at most this many rows: a backlog drains over a few sweeps, not one burst.
SWEEP_BATCH = 500


class SendError(Exception):
    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class Outcome:
    status: str  # sent, retry, failed or skipped
    retry_in: timedelta | None = None


def backoff(attempts: int) -> timedelta:
    """NOTIFICATION_BACKOFF_BASE_SECONDS (30 s), then twice as long after each further attempt,
    capped at 2 hours, with ±20 % jitter so retries spread out."""
    seconds = min(settings.NOTIFICATION_BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), 7200)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311


def _send_email(notification: Notification) -> str:
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        reply_to=[reply_address(notification.case)] if notification.case else None,
        headers={
            "Message-ID": notification.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Aftersales-Notification": notification.idempotency_key,
        },
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        refusals = "; ".join(
            f"{address} (SMTP {code} {_text(reply)})"
            for address, (code, reply) in exc.recipients.items()
        )
        raise SendError(f"The mail server refused {refusals}", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        reason = f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
        raise SendError(reason, permanent=500 <= exc.smtp_code < 600) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"Mail server unreachable: {exc}", permanent=False) from exc
    # An ESP reached through anymail has its own id for the message; over SMTP ours is the id.
    status = getattr(message, "anymail_status", None)
    if status is not None and status.message_id is not None:
        return str(status.message_id)
    return notification.message_id


def _text(reply: bytes | str) -> str:
    """A server's reply as text for last_error, not as a bytes repr."""
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def _send_sms(notification: Notification) -> str:
    try:
        return get_backend().send(SMS(to=notification.recipient, body=notification.body))
    except SMSError as exc:
        raise SendError(str(exc), permanent=exc.permanent) from exc


def _claim(notification_id: int) -> Notification | None:
    now = timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .filter(next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if notification is None:
            return None
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
            notification.last_error = notification.last_error or "Gave up: a worker died mid-send."
            notification.save(update_fields=["status", "last_error"])
            return None
        notification.attempts += 1
        # The lease outlives the longest send (NOTIFICATION_CLAIM_SECONDS), so a live worker
        # never loses its row to another, and a killed one frees it soon after.
        notification.claimed_until = now + timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
        notification.save(update_fields=["attempts", "claimed_until"])
    return notification


def notification_deliver(*, notification_id: int) -> Outcome:
    """Send one notification if it is pending, due and not being sent by another worker.

    A row is sent at most once unless a worker dies between the provider accepting it and the
    row being marked sent; such a repeat carries the same Message-ID."""
    notification = _claim(notification_id)
    if notification is None:
        return Outcome("skipped")
    sender = _send_sms if notification.channel == Notification.Channel.SMS else _send_email
    try:
        provider_id = sender(notification)
    except SendError as exc:
        return _failed(notification, str(exc), permanent=exc.permanent)
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENT,
        provider_id=provider_id[:255],
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )
    return Outcome("sent")


def _failed(notification: Notification, reason: str, *, permanent: bool) -> Outcome:
    gave_up = permanent or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    if gave_up:
        logger.warning("Notification %s failed: %s", notification.pk, reason)
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.FAILED, last_error=reason, claimed_until=None
        )
        return Outcome("failed")
    retry_in = backoff(notification.attempts)
    Notification.objects.filter(pk=notification.pk).update(
        last_error=reason, claimed_until=None, next_attempt_at=timezone.now() + retry_in
    )
    return Outcome("retry", retry_in if retry_in <= MAX_COUNTDOWN else None)


@transaction.atomic
def notification_retry(*, notification: Notification, actor: Actor = None) -> Notification:
    """Give a failed notification a fresh set of attempts (the dashboard's retry button)."""
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        enqueued_at=timezone.now(),
        claimed_until=None,
    )
    from tickets.tasks import notification_deliver as deliver_task

    transaction.on_commit(lambda: deliver_task.delay(notification.pk))
    notification.refresh_from_db()
    return notification


def notifications_sweep(*, now: datetime | None = None, batch_size: int = SWEEP_BATCH) -> list[int]:
    """Queue again pending rows due for NOTIFICATION_SWEEP_AFTER_SECONDS and not queued since;
    returns their ids. The caller enqueues them.

    A row swept before is swept again only once it has waited, since, at least as long as it
    had waited before (60 s, 60 s, 2, 4, 8 minutes …): a lost message is found within a minute,
    while rows merely queued behind a long backlog are not queued again and again."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATION_SWEEP_AFTER_SECONDS)
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.PENDING, next_attempt_at__lte=stale)
            .alias(
                waited_before=ExpressionWrapper(
                    F("enqueued_at") - F("next_attempt_at"), output_field=DurationField()
                ),
                waited_since=ExpressionWrapper(
                    Value(now, output_field=DateTimeField()) - F("enqueued_at"),
                    output_field=DurationField(),
                ),
            )
            .filter(
                Q(enqueued_at__isnull=True)
                | Q(enqueued_at__lte=stale, waited_before__lte=F("waited_since"))
            )
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:batch_size]
        )
        Notification.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids
