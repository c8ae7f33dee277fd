"""Provider webhooks acknowledged at once, stored in batches.

EasyPost and AfterShip send one tracker per request and read nothing of our answer but its
status. Storing each delivery on its own costs a transaction and four statements per event; so
the webhook checks the signature and the shape, keeps the body as a TrackingDelivery and
answers, and a task hands the waiting deliveries to the intake up to BATCH at a time: the same
intake, the same rules, a few statements per thousand events.

The task is queued by the first delivery after a quiet spell (a cache flag, so one task is
queued, not one per delivery) and goes on while deliveries wait; beat runs it every minute as
well, for deliveries left behind by a worker that stopped."""

import logging
import time
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction

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
# A task is queued at most this often; deliveries arriving meanwhile wait for it.
QUEUED_FLAG = "shipments:tracking-deliveries-queued"
QUEUED_FLAG_SECONDS = 60
# A short wait before the task starts, so that it finds a batch rather than one delivery.
COUNTDOWN_SECONDS = 0.5


def delivery_accept(*, source: str, body: bytes) -> TrackingDelivery:
    """Keep a checked delivery of `source` for the intake and make sure a task will take it."""
    delivery = TrackingDelivery.objects.create(source=source, body=body.decode())
    _ingest_queue()
    return delivery


def _ingest_queue() -> None:
    if cache.add(QUEUED_FLAG, True, timeout=QUEUED_FLAG_SECONDS):
        transaction.on_commit(
            lambda: queue.enqueue(TRACKING_DELIVERIES_INGEST, countdown=COUNTDOWN_SECONDS)
        )


def deliveries_ingest(*, batch: int = BATCH, seconds: float = SECONDS) -> int:
    """Store the waiting deliveries, oldest first, `batch` at a time (each batch in one
    transaction that also deletes its rows; a second task running at once takes other rows),
    until none wait or `seconds` have passed. Returns the events stored."""
    stored = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with transaction.atomic():
            taken = list(
                TrackingDelivery.objects.select_for_update(skip_locked=True).order_by("pk")[:batch]
            )
            if not taken:
                break
            stored += _store(taken)
            TrackingDelivery.objects.filter(pk__in=[row.pk for row in taken]).delete()
    cache.delete(QUEUED_FLAG)
    # A delivery that came after the last batch but before the flag went found it set.
    if TrackingDelivery.objects.exists():
        _ingest_queue()
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
