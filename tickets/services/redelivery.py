"""Getting outbox rows out again: a person's "Send again" (or "Send anyway" for a held text),
and the sweeper that queues rows a lost broker message left behind."""

from datetime import datetime, timedelta

from django.conf import settings
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
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Notification
from tickets.services import queue, timeline
from tickets.services.notifications import sms_send_time
from tickets.services.outbox import notification_move
from tickets.services.sms_consent import (
    SmsConsentWithdrawn,
    sms_consent_given,
)
from tickets.services.timeline import Actor

# One sweep queues at most this many rows: a backlog drains over a few sweeps, not one burst.
SWEEP_BATCH = 500

Status = Notification.Status


class SendAnywayRequired(ApplicationError):
    code = "send_anyway_required"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This text may already have reached the customer. Check the SMS provider's "
                "log; to send it all the same, use “Send anyway”."
            )
        )


# --- people ---------------------------------------------------------------------------------


@transaction.atomic
def notification_retry(
    *, notification: Notification, actor: Actor, anyway: bool = False
) -> Notification:
    """Give a failed notification a fresh set of attempts (the dashboard's "Send again"), or
    send a held text all the same (`anyway`: the deliberate "Send anyway"). Records `actor` on
    the row and on the case timeline; an email keeps its Message-ID; a text waits for the end of
    the customer's quiet hours. A row neither failed nor held is returned unchanged.

    Raises SmsConsentWithdrawn for a text to a customer who replied STOP, and
    SendAnywayRequired for a held text without `anyway`; both change nothing."""
    # Locks the notification only (of=self): a STOP locks customers first, then notifications.
    row = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=notification.pk)
    )
    if row.status not in (Status.FAILED, Status.HELD):
        return row
    is_sms = row.channel == Notification.Channel.SMS
    if is_sms and not sms_consent_given(customer_id=row.customer_id):
        raise SmsConsentWithdrawn()
    if row.status == Status.HELD and not anyway:
        raise SendAnywayRequired()
    now = timezone.now()
    due = sms_send_time(now, row.customer.timezone) if is_sms else now
    previous = row.status
    notification_move(
        notification_id=row.pk,
        to=Status.PENDING,
        from_=[previous],
        attempts=0,
        next_attempt_at=due,
        enqueued_at=now if due <= now else None,
        claimed_until=None,
        # Sent anyway: a person decided, so the row goes out without another look-up.
        unconfirmed_at=None,
        retried_by=actor,
        retried_at=now,
    )
    row.refresh_from_db()
    if (case := row.case) is not None:
        timeline.notification_retried_event(
            case=case, notification=row, actor=actor, previous=previous
        )
    if due <= now:
        queue.enqueue_on_commit(queue.NOTIFICATION_DELIVER, row.pk)
    return row


# --- the sweeper ----------------------------------------------------------------------------


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
            .filter(status=Status.PENDING, next_attempt_at__lte=stale)
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
