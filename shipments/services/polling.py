"""Polling: ask the carriers that have an adapter (shipments/adapters) about the shipments
nobody told us about lately, and feed what they say through the one intake.

A shipment is due when it is not final and neither polled nor updated (by any source: a
webhook counts) within its carrier's `poll_interval_minutes`. A carrier whose adapter fails is
paused, for a time that doubles with each failure in a row (settings.SHIPMENTS_POLL_BACKOFF_*),
and the rest of its batch waits for the next run; its first success clears the count."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from shipments.adapters import AdapterError, TrackingAdapter, adapter_for, adapters_configured
from shipments.models import FINAL_STATUSES, Carrier, Shipment
from shipments.services.intake import events_record

logger = logging.getLogger(__name__)


@dataclass
class PollOutcome:
    """What one polling run did: shipments asked about, events stored, shipments whose status
    moved, and the carriers paused by an error (code → paused until)."""

    polled: int = 0
    stored: int = 0
    status_changes: int = 0
    paused: dict[str, datetime] = field(default_factory=dict)


def shipments_due_for_poll(*, carrier: Carrier, now: datetime) -> QuerySet[Shipment]:
    """The shipments of `carrier` to ask about now: not final, and neither polled nor updated
    within the carrier's poll interval; never polled first, then the longest unpolled."""
    since = now - timedelta(minutes=carrier.poll_interval_minutes)
    return (
        Shipment.objects.filter(carrier=carrier)
        .exclude(status__in=FINAL_STATUSES)
        .filter(Q(polled_at__isnull=True) | Q(polled_at__lte=since))
        .filter(Q(last_event_at__isnull=True) | Q(last_event_at__lte=since))
        .order_by(F("polled_at").asc(nulls_first=True), "pk")
    )


def shipments_poll(*, now: datetime | None = None, batch: int | None = None) -> PollOutcome:
    """Poll every carrier with an adapter that is not paused, at most `batch` shipments each
    (settings.SHIPMENTS_POLL_BATCH: a run of beat's period never outlasts the period even at a
    second per carrier answer, and a backlog drains over a few runs)."""
    now = now or timezone.now()
    size = batch or settings.SHIPMENTS_POLL_BATCH
    outcome = PollOutcome()
    carriers = Carrier.objects.filter(code__in=adapters_configured()).filter(
        Q(poll_paused_until__isnull=True) | Q(poll_paused_until__lte=now)
    )
    for carrier in carriers.order_by("code"):
        adapter = adapter_for(carrier.code)
        if adapter is None:
            continue
        _carrier_poll(carrier, adapter, now=now, size=size, outcome=outcome)
    return outcome


def shipment_poll(*, shipment: Shipment, now: datetime | None = None) -> int:
    """Ask the carrier about one shipment now, whether due or not (the demo, an agent's
    "refresh"); returns the events stored. Raises AdapterError if the carrier cannot answer,
    without pausing it."""
    now = now or timezone.now()
    adapter = adapter_for(shipment.carrier.code)
    if adapter is None:
        return 0
    return _ask(shipment, adapter, now=now)[0]


def _carrier_poll(
    carrier: Carrier, adapter: TrackingAdapter, *, now: datetime, size: int, outcome: PollOutcome
) -> None:
    due = list(shipments_due_for_poll(carrier=carrier, now=now).select_related("carrier")[:size])
    for shipment in due:
        try:
            stored, changes = _ask(shipment, adapter, now=now)
        except AdapterError as error:
            outcome.paused[carrier.code] = _carrier_pause(carrier, now=now, error=error)
            return
        outcome.polled += 1
        outcome.stored += stored
        outcome.status_changes += changes
    if due and carrier.poll_failures:
        Carrier.objects.filter(pk=carrier.pk).update(poll_failures=0, poll_paused_until=None)


def _ask(shipment: Shipment, adapter: TrackingAdapter, *, now: datetime) -> tuple[int, int]:
    # The carrier is asked outside any transaction: a slow answer holds no lock.
    events = adapter.fetch(shipment.tracking_number, shipped_at=shipment.shipped_at)
    stored = changes = 0
    if events:
        result = events_record(shipment=shipment, events=events, source=adapter.source)
        stored, changes = result.stored, result.status_changes
    Shipment.objects.filter(pk=shipment.pk).update(polled_at=now)
    return stored, changes


def _carrier_pause(carrier: Carrier, *, now: datetime, error: AdapterError) -> datetime:
    failures = carrier.poll_failures + 1
    minutes = min(
        settings.SHIPMENTS_POLL_BACKOFF_MINUTES * 2 ** min(failures - 1, 20),
        settings.SHIPMENTS_POLL_BACKOFF_MAX_MINUTES,
    )
    until = now + timedelta(minutes=minutes)
    Carrier.objects.filter(pk=carrier.pk).update(poll_failures=failures, poll_paused_until=until)
    logger.warning(
        "Polling %s failed (%s in a row): %s; paused until %s",
        carrier.code,
        failures,
        error,
        until.isoformat(),
    )
    return until
