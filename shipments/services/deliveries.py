"""Provider webhooks acknowledged at once, stored in batches.

EasyPost and AfterShip send one tracker per request and read nothing of our answer but its
status. Storing each delivery on its own costs a transaction and four statements per event; so
the webhook checks the signature and the shape, keeps the body as a TrackingDelivery and
answers, and a task hands the waiting deliveries to the intake up to BATCH at a time: the same
intake, the same rules, a few statements per thousand events.

Each web process queues the task at most once a WINDOW_SECONDS, for 2 × WINDOW_SECONDS later:
every delivery it keeps within a window has committed long before that task starts, and the
first delivery after a window queues the next. So no delivery waits longer than about two
windows, with no shared state to consult per request. Beat runs the task every minute as well,
for deliveries a stopped worker or an unreachable broker left behind."""

import logging
from collections import defaultdict
from time import monotonic

from django.db import connection, transaction
from django.utils import timezone

from shipments.models import TrackingDelivery
from shipments.services import webhook_payloads as formats
from shipments.services.intake import tracking_record
from shipments.tracking import TrackingIn
from tickets.errors import ApplicationError
from tickets.services import queue

logger = logging.getLogger(__name__)

TRACKING_DELIVERIES_INGEST = "shipments.tasks.tracking_deliveries_ingest"
# Deliveries stored per transaction: the intake's own batch size.
BATCH = 1000
# How long one task goes on taking batches before it hands over to the next.
SECONDS = 50.0
# A web process queues the task at most once a window, to run two windows later.
WINDOW_SECONDS = 1.0
COUNTDOWN_SECONDS = 2 * WINDOW_SECONDS
# When this process may queue the task again (time.monotonic()).
_next_queue_at = 0.0


# The table's name is the model's own; the values are parameters.
_ACCEPT_SQL = (
    f"INSERT INTO {TrackingDelivery._meta.db_table} (source, body, received_at) "  # noqa: S608
    "SELECT %s, %s, %s FROM (SELECT set_config('synchronous_commit', 'off', true)) AS unflushed"
)


def delivery_accept(*, source: str, body: bytes) -> None:
    """Keep a checked delivery of `source` for the intake and make sure a task will take it.

    On PostgreSQL the row is stored by one statement that also turns off, for its own
    transaction, the wait for its WAL to reach the disk (set_config(…, true) is SET LOCAL): a
    commit that waits costs several milliseconds of disk flush per request, and a transaction
    around the insert costs three more round trips; together they capped the webhook at about
    250 deliveries a second on this machine. What it risks is the last fraction of a second of
    deliveries if PostgreSQL itself crashes, and those heal: EasyPost's and AfterShip's every
    delivery carries the tracker's whole history, so the tracker's next update brings the lost
    events again."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_ACCEPT_SQL, [source, body.decode(), timezone.now()])
    else:
        TrackingDelivery.objects.create(source=source, body=body.decode())
    _ingest_queue()


def _ingest_queue() -> None:
    global _next_queue_at
    now = monotonic()
    if now < _next_queue_at:
        return  # the task queued in this window starts after this delivery commits
    _next_queue_at = now + WINDOW_SECONDS
    transaction.on_commit(
        lambda: queue.enqueue(TRACKING_DELIVERIES_INGEST, countdown=COUNTDOWN_SECONDS)
    )


def deliveries_ingest(*, batch: int = BATCH, seconds: float = SECONDS) -> int:
    """Store the waiting deliveries, oldest first, `batch` at a time (each batch in one
    transaction that also deletes its rows; a second task running at once takes other rows),
    until a batch finds fewer than `batch` waiting: those that arrive from then on have their
    own task queued (each web process queues one a window while deliveries arrive), and under
    a steady load they make that task's batches full instead of a few rows each, whose fixed
    cost per batch doubled the intake's work per event. After `seconds`, the next task is
    queued for the rest. Returns the events stored."""
    stored = 0
    deadline = monotonic() + seconds
    while monotonic() < deadline:
        with transaction.atomic():
            taken = list(
                TrackingDelivery.objects.select_for_update(skip_locked=True).order_by("pk")[:batch]
            )
            if taken:
                stored += _store(taken)
                TrackingDelivery.objects.filter(pk__in=[row.pk for row in taken]).delete()
        if len(taken) < batch:
            break
    else:
        # Out of time with deliveries still waiting: the next task goes on.
        queue.enqueue(TRACKING_DELIVERIES_INGEST)
    return stored


def _store(deliveries: list[TrackingDelivery]) -> int:
    by_source: dict[str, list[TrackingIn]] = defaultdict(list)
    for row in deliveries:
        try:
            by_source[row.source].extend(
                formats.trackings_read(row.source, row.body.encode()) or ()
            )
        except ApplicationError as exc:
            # Read once already, on arrival; only a change of the reader since can refuse it.
            logger.warning("Tracking delivery %s (%s) dropped: %s", row.pk, row.source, exc)
    return sum(
        tracking_record(items=items, source=source).stored for source, items in by_source.items()
    )
