"""Delivering the outbox: claim a due row, send it once, record the outcome; retry transient
failures with backoff; never send blindly again what may have arrived. A person's "Send again"
and the sweeper are in tickets.services.redelivery, the provider calls in .sending.

Every status change goes through tickets.services.outbox (the one mutator); every send happens
under a claim (a lease on the row) and outside any transaction."""

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Q,
)
from django.utils import timezone
from django.utils.translation import gettext_noop

from tickets.models import Customer, Notification
from tickets.services import timeline
from tickets.services.notifications import sms_send_time
from tickets.services.outbox import notification_move
from tickets.services.sending import SendError, send_email, send_sms, sms_of
from tickets.services.sms_consent import (
    NO_CONSENT_REASON,
    sms_consent_given,
)
from tickets.sms import SMSError, get_backend

logger = logging.getLogger(__name__)

Status = Notification.Status

# Retries due within this are queued with a countdown (well under the broker's visibility
# timeout); later ones wait in the database for the sweeper.
MAX_COUNTDOWN = timedelta(minutes=5)
# Twilio's clock and ours differ a little: a text the provider created up to this long before
# our unconfirmed send started is still taken for it.
RECONCILE_MARGIN = timedelta(minutes=2)

# Stored in English like every provider error; pages show them through {% translate %}.
GAVE_UP_REASON = gettext_noop("Gave up: a worker died mid-send.")
WORKER_DIED_REASON = gettext_noop(
    "The worker sending this stopped before the provider answered; it may have been sent."
)
HELD_NOT_FOUND = gettext_noop(
    "No answer came when this text was sent, and the SMS provider's log does not show it: it "
    "may or may not have reached the customer. Check the provider's log, then send it anyway "
    "or leave it."
)
HELD_SEVERAL = gettext_noop(
    "No answer came when this text was sent, and the SMS provider's log shows more than one "
    "text like it: check the provider's log, then send it anyway or leave it."
)
HELD_UNCHECKED = gettext_noop(
    "No answer came when this text was sent, and the SMS provider's log could not be checked: "
    "it may or may not have reached the customer. Check the provider's log, then send it "
    "anyway or leave it."
)


@dataclass(frozen=True)
class Outcome:
    status: str  # sent, retry, deferred, failed, held or skipped
    retry_in: timedelta | None = None


@dataclass(frozen=True)
class _Deferred:
    until: datetime


def backoff(attempts: int) -> timedelta:
    """NOTIFICATION_BACKOFF_BASE_SECONDS (30 s), then twice as long after each further attempt,
    capped at 2 hours, with ±20 % jitter so retries spread out."""
    seconds = min(settings.NOTIFICATION_BACKOFF_BASE_SECONDS * 2 ** (attempts - 1), 7200)
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311


def _countdown(wait: timedelta) -> timedelta | None:
    return wait if wait <= MAX_COUNTDOWN else None


# --- the claim ----------------------------------------------------------------------------


def _claim(notification_id: int) -> Notification | _Deferred | None:
    """The row, claimed for one send (attempts + 1, a lease of NOTIFICATION_CLAIM_SECONDS), if
    it is pending, due and not claimed by a live worker; a _Deferred, without an attempt, for
    a text inside the customer's quiet hours; else None."""
    now = timezone.now()
    lease = timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Status.PENDING)
            .filter(next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .first()
        )
        if notification is None:
            return None
        is_sms = notification.channel == Notification.Channel.SMS
        if is_sms:
            # Quiet hours hold when the text goes out, not only when the row was written: a
            # retry, "Send again" or a row that fell behind waits for the customer's morning,
            # and waiting is not an attempt.
            tz = Customer.objects.values_list("timezone", flat=True).get(
                pk=notification.customer_id
            )
            due = sms_send_time(now, tz)
            if due > now:
                Notification.objects.filter(pk=notification.pk).update(
                    next_attempt_at=due, enqueued_at=None
                )
                return _Deferred(due)
        # Every outcome clears the lease, so an expired one means the worker holding it died
        # mid-send: that send may have reached the provider.
        died_mid_send = notification.claimed_until is not None
        if notification.claimed_until is not None and notification.unconfirmed_at is None:
            notification.unconfirmed_at = notification.claimed_until - lease
        reconciling = is_sms and notification.unconfirmed_at is not None
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS and not reconciling:
            notification_move(
                notification_id=notification.pk,
                to=Status.FAILED,
                from_=[Status.PENDING],
                last_error=notification.last_error or GAVE_UP_REASON,
                claimed_until=None,
            )
            return None
        notification.attempts += 1
        # The lease outlives the longest send (NOTIFICATION_CLAIM_SECONDS), so a live worker
        # never loses its row to another, and a killed one frees it soon after.
        notification.claimed_until = now + lease
        notification.save(update_fields=["attempts", "claimed_until", "unconfirmed_at"])
        if died_mid_send and (case := notification.case) is not None:
            timeline.notification_unconfirmed_event(
                case=case,
                notification=notification,
                reason=WORKER_DIED_REASON,
                next_step=_next_step(notification),
            )
    return notification


def _next_step(notification: Notification) -> str:
    if notification.channel == Notification.Channel.SMS:
        return "check_with_provider"
    return "resend_same_message_id"


# --- delivering one row ---------------------------------------------------------------------


def notification_deliver(*, notification_id: int) -> Outcome:
    """Send one notification if it is pending, due and not being sent by another worker.

    A row is sent at most once unless the provider took it without answering (or a worker died
    between the provider accepting it and the row being marked sent). Then an email goes again
    with the same Message-ID, which the case timeline notes; a text is first looked up at the
    provider: found, it is marked sent with the provider's id; otherwise it is held for a
    person. A text waits for the end of the customer's quiet hours, and goes only while the
    customer still agrees to SMS (checked here, under the claim, right before the send)."""
    claim = _claim(notification_id)
    if claim is None:
        return Outcome("skipped")
    if isinstance(claim, _Deferred):
        return Outcome("deferred", _countdown(claim.until - timezone.now()))
    notification = claim
    if notification.channel == Notification.Channel.SMS:
        if not sms_consent_given(customer_id=notification.customer_id):
            _fail(notification, NO_CONSENT_REASON)
            return Outcome("failed")
        if notification.unconfirmed_at is not None:
            return _reconcile(notification)
    sender = send_sms if notification.channel == Notification.Channel.SMS else send_email
    try:
        provider_id = sender(notification)
    except SendError as exc:
        if exc.unconfirmed:
            return _unconfirmed(notification, str(exc))
        return _failed(notification, str(exc), permanent=exc.permanent)
    _sent(notification, provider_id)
    return Outcome("sent")


def _sent(notification: Notification, provider_id: str) -> None:
    moved = notification_move(
        notification_id=notification.pk,
        to=Status.SENT,
        from_=[Status.PENDING],
        provider_id=provider_id[:255],
        sent_at=timezone.now(),
        claimed_until=None,
        unconfirmed_at=None,
        last_error="",
    )
    if not moved:
        logger.warning("Notification %s was sent but had left pending meanwhile.", notification.pk)


def _fail(notification: Notification, reason: str) -> None:
    notification_move(
        notification_id=notification.pk,
        to=Status.FAILED,
        from_=[Status.PENDING],
        last_error=reason,
        claimed_until=None,
    )


def _failed(notification: Notification, reason: str, *, permanent: bool) -> Outcome:
    if permanent or notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        logger.warning("Notification %s failed: %s", notification.pk, reason)
        _fail(notification, reason)
        return Outcome("failed")
    retry_in = backoff(notification.attempts)
    Notification.objects.filter(pk=notification.pk, status=Status.PENDING).update(
        last_error=reason, claimed_until=None, next_attempt_at=timezone.now() + retry_in
    )
    return Outcome("retry", _countdown(retry_in))


def _unconfirmed(notification: Notification, reason: str) -> Outcome:
    """The message went out and no answer came. An email is retried like any transient failure,
    under the same Message-ID; a text is looked up at the provider before anything else."""
    logger.warning("Notification %s unconfirmed: %s", notification.pk, reason)
    is_sms = notification.channel == Notification.Channel.SMS
    if not is_sms and notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _fail(notification, reason)
        return Outcome("failed")
    started = notification.unconfirmed_at or (
        timezone.now()
        if notification.claimed_until is None
        else notification.claimed_until - timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    )
    # A text is looked up after the usual backoff, not at once: a message Twilio took is in its
    # log only once it has left its queue.
    retry_in = backoff(notification.attempts)
    with transaction.atomic():
        Notification.objects.filter(pk=notification.pk, status=Status.PENDING).update(
            last_error=reason,
            claimed_until=None,
            unconfirmed_at=started,
            next_attempt_at=timezone.now() + retry_in,
        )
        if (case := notification.case) is not None:
            timeline.notification_unconfirmed_event(
                case=case,
                notification=notification,
                reason=reason,
                next_step=_next_step(notification),
            )
    return Outcome("retry", _countdown(retry_in))


def _reconcile(notification: Notification) -> Outcome:
    """An earlier send of this text got no answer: ask the provider whether it has it."""
    assert notification.unconfirmed_at is not None  # noqa: S101 (the caller checked)
    since = notification.unconfirmed_at - RECONCILE_MARGIN
    try:
        found = get_backend().find(sms_of(notification), since=since)
    except SMSError as exc:
        logger.warning("Notification %s could not be looked up: %s", notification.pk, exc)
        return _hold(notification, HELD_UNCHECKED)
    # A text already recorded for another notification (the same words to the same number,
    # say two replies on one case) is not this one.
    taken = set(
        Notification.objects.filter(provider_id__in=found).values_list("provider_id", flat=True)
    )
    candidates = [provider_id for provider_id in found if provider_id not in taken]
    if len(candidates) == 1:
        logger.info(
            "Notification %s: the provider has it as %s; marked sent, not sent again.",
            notification.pk, candidates[0],
        )  # fmt: skip
        _sent(notification, candidates[0])
        return Outcome("sent")
    return _hold(notification, HELD_SEVERAL if candidates else HELD_NOT_FOUND)


def _hold(notification: Notification, reason: str) -> Outcome:
    logger.warning("Notification %s held for a person: %s", notification.pk, reason)
    with transaction.atomic():
        moved = notification_move(
            notification_id=notification.pk,
            to=Status.HELD,
            from_=[Status.PENDING],
            last_error=reason,
            claimed_until=None,
        )
        if moved and (case := notification.case) is not None:
            timeline.notification_held_event(case=case, notification=notification, reason=reason)
    return Outcome("held")
