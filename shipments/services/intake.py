"""The one tracking intake: every source (the webhooks, the API, polling, the simulator, an
agent) hands its events here, already mapped onto our statuses (shipments/status_map.py).

A batch is written in a constant number of statements, whatever its size up to CHUNK: the
shipments are read and locked in one query, the events already stored in one, the new events
inserted in one and the changed shipments updated in one.

Rules: an event is stored once per (source, external id); an event older than the
shipment's latest moves nothing back (it is stored for the history); a shipment in a final
status (delivered, lost, cancelled) keeps it; an event of status "unknown" is stored with its
raw code and leaves the shipment's status alone."""

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, connection, transaction
from django.db.models import Field, Q
from django.utils import timezone

from shipments.models import (
    FINAL_STATUSES,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from shipments.signals import StatusChange, status_changed
from shipments.status_map import customs_state_for
from shipments.tracking import EventIn, RecordResult, TrackingIn

logger = logging.getLogger(__name__)

# Rows per statement: the generic webhook's largest batch, and well inside SQLite's limit of
# bound parameters for the IN lists.
CHUNK = 1000

# Statuses that are no carrier scan yet: the first other one is the first scan.
NOT_SCANNED = frozenset(
    {
        ShipmentStatus.PENDING,
        ShipmentStatus.INFO_RECEIVED,
        ShipmentStatus.UNKNOWN,
        ShipmentStatus.CANCELLED,
    }
)

TRACKED_FIELDS = [
    "status",
    "incident_reason",
    "last_event_at",
    "first_scan_at",
    "delivered_at",
    "customs_state",
    "customs_since",
    "revised_estimate",
]
SHIPMENT_FIELDS = [*TRACKED_FIELDS, "check_at", "updated_at"]

MESSAGE_MAX = 500
LOCATION_MAX = 200
RAW_MAX = 100
EXTERNAL_ID_MAX = 128


def external_id_for(*, shipment_id: int, event: EventIn) -> str:
    """The source's id of `event`, or one derived from the shipment and what the event says,
    so that the same event delivered twice is stored once."""
    if event.external_id:
        return event.external_id[:EXTERNAL_ID_MAX]
    text = "|".join(
        (
            str(shipment_id),
            event.occurred_at.isoformat(),
            event.status,
            event.raw_status,
            event.message,
            event.location,
        )
    )
    return "d:" + hashlib.sha256(text.encode()).hexdigest()[:40]


@dataclass
class _Pending:
    """A shipment's events of this batch, in arrival order."""

    shipment: Shipment
    events: list[EventIn] = field(default_factory=list)


def _new_events(
    pending: dict[int, _Pending], source: str, result: RecordResult
) -> list[tuple[TrackingEvent, EventIn]]:
    """The events of `pending` not stored before (one query), as unsaved rows; a repeat
    within the batch or of a stored event is counted as a duplicate."""
    keyed: dict[str, tuple[int, EventIn]] = {}
    for shipment_id, item in pending.items():
        for event in item.events:
            key = external_id_for(shipment_id=shipment_id, event=event)
            if key in keyed:
                result.duplicates += 1
                continue
            keyed[key] = (shipment_id, event)
    stored = set(
        TrackingEvent.objects.filter(source=source, external_id__in=list(keyed)).values_list(
            "external_id", flat=True
        )
    )
    result.duplicates += len(stored)
    now = timezone.now()
    return [
        (
            TrackingEvent(
                shipment_id=shipment_id,
                occurred_at=event.occurred_at,
                status=event.status,
                incident_reason=event.incident_reason,
                raw_status=event.raw_status[:RAW_MAX],
                message=event.message[:MESSAGE_MAX],
                location=event.location[:LOCATION_MAX],
                source=source,
                external_id=key,
                payload=dict(event.payload),
                created_at=now,
            ),
            event,
        )
        for key, (shipment_id, event) in keyed.items()
        if key not in stored
    ]


def _latest_estimate(events: Iterable[EventIn]) -> date | None:
    dated = [event for event in events if event.estimate is not None]
    if not dated:
        return None
    return max(dated, key=lambda event: event.occurred_at).estimate


def _apply(
    shipment: Shipment, rows: list[TrackingEvent], all_events: list[EventIn]
) -> StatusChange | None:
    """Move `shipment` (in memory) by its new event rows and the estimates of all the
    batch's events (repeats too: AfterShip revises an estimate without a new checkpoint).
    Returns the status change, if any."""
    previous_last = shipment.last_event_at
    previous_status = shipment.status
    change: StatusChange | None = None
    for row in sorted(rows, key=lambda row: (row.occurred_at, row.pk or 0)):
        at = row.occurred_at
        if shipment.last_event_at is None or at > shipment.last_event_at:
            shipment.last_event_at = at
        if row.status not in NOT_SCANNED and (
            shipment.first_scan_at is None or at < shipment.first_scan_at
        ):
            shipment.first_scan_at = at
        if row.status == ShipmentStatus.DELIVERED and (
            shipment.delivered_at is None or at < shipment.delivered_at
        ):
            shipment.delivered_at = at
        if row.status == ShipmentStatus.UNKNOWN or shipment.status in FINAL_STATUSES:
            continue
        # An older event moves nothing back; only a delivery, whenever it is told, still counts.
        newest = previous_last is None or at >= previous_last
        if not newest and row.status != ShipmentStatus.DELIVERED:
            continue
        previous_last = max(previous_last, at) if previous_last else at
        _customs(shipment, row)
        if row.status != shipment.status or row.incident_reason != shipment.incident_reason:
            shipment.status = row.status
            shipment.incident_reason = row.incident_reason
            if shipment.status != previous_status:
                change = StatusChange(
                    shipment_id=shipment.pk,
                    previous=previous_status,
                    status=shipment.status,
                    incident_reason=shipment.incident_reason,
                    at=at,
                    event_id=row.pk or 0,
                    direction=shipment.direction,
                    case_id=shipment.case_id,
                    issue_case_id=shipment.issue_case_id,
                )
            else:
                change = None
    estimate = _latest_estimate(all_events)
    if estimate is not None and shipment.status != ShipmentStatus.DELIVERED:
        shipment.revised_estimate = estimate
    return change


def _customs(shipment: Shipment, row: TrackingEvent) -> None:
    state = customs_state_for(row.status, row.incident_reason)
    held = shipment.customs_state not in ("", Shipment.Customs.RELEASED)
    if state:
        if not held:
            shipment.customs_since = row.occurred_at
        shipment.customs_state = state
    elif held:
        shipment.customs_state = Shipment.Customs.RELEASED


def _record(pending: dict[int, _Pending], source: str, result: RecordResult) -> None:
    now = timezone.now()
    new = _new_events(pending, source, result)
    TrackingEvent.objects.bulk_create([row for row, _event in new], batch_size=CHUNK)
    result.stored += len(new)
    rows_by_shipment: dict[int, list[TrackingEvent]] = {}
    for row, _event in new:
        rows_by_shipment.setdefault(row.shipment_id, []).append(row)
    changed: list[Shipment] = []
    changes: list[StatusChange] = []
    for shipment_id, item in pending.items():
        rows = rows_by_shipment.get(shipment_id, [])
        before = [getattr(item.shipment, name) for name in TRACKED_FIELDS]
        change = _apply(item.shipment, rows, item.events)
        if change is not None:
            changes.append(change)
        if before != [getattr(item.shipment, name) for name in TRACKED_FIELDS]:
            # Detection takes another look at a shipment that moved (Shipment.check_at).
            item.shipment.check_at = now
            item.shipment.updated_at = now
            changed.append(item.shipment)
    _shipments_update(changed)
    result.status_changes += len(changes)
    if changes:
        status_changed.send(sender=Shipment, changes=changes)


def _shipments_update(shipments: list[Shipment]) -> None:
    """Write SHIPMENT_FIELDS of `shipments` in one statement. Django's bulk_update builds a
    CASE expression per row and field, which costs ~10 ms of Python per row: a 1,000-event
    batch would spend seconds there. On PostgreSQL one UPDATE ... FROM (VALUES ...) does it in
    a few milliseconds; SQLite (tests, the embedded demo) keeps bulk_update."""
    if not shipments:
        return
    if connection.vendor != "postgresql":
        Shipment.objects.bulk_update(shipments, SHIPMENT_FIELDS, batch_size=CHUNK)
        return
    quote = connection.ops.quote_name
    fields = [
        field
        for name in ("id", *SHIPMENT_FIELDS)
        if isinstance(field := Shipment._meta.get_field(name), Field)
    ]
    columns = [quote(field.column or field.name) for field in fields]
    row = "(" + ", ".join(f"%s::{field.cast_db_type(connection)}" for field in fields) + ")"
    params = [
        field.get_db_prep_value(getattr(shipment, field.attname), connection)
        for shipment in shipments
        for field in fields
    ]
    table = quote(Shipment._meta.db_table)
    assignments = ", ".join(f"{column} = v.{column}" for column in columns[1:])
    sql = (
        f"UPDATE {table} SET {assignments} "  # noqa: S608 - names are the model's, values bound
        f"FROM (VALUES {', '.join([row] * len(shipments))}) AS v ({', '.join(columns)}) "
        f"WHERE {table}.{columns[0]} = v.{columns[0]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _locked(query: Q) -> list[Shipment]:
    # Locked in id order, so two batches touching the same shipments cannot deadlock; the
    # carrier is read along but not locked (every batch names the same few carriers).
    return list(
        Shipment.objects.filter(query)
        .select_related("carrier")
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def _match(items: Sequence[TrackingIn], result: RecordResult) -> dict[int, _Pending]:
    numbers = sorted({item.tracking_number.strip() for item in items if item.tracking_number})
    candidates: dict[str, list[Shipment]] = {}
    for row in _locked(Q(tracking_number__in=numbers)):
        candidates.setdefault(row.tracking_number, []).append(row)
    pending: dict[int, _Pending] = {}
    for item in items:
        number = item.tracking_number.strip()
        found = candidates.get(number, [])
        # The carrier named decides between two shipments of one number; a number only one
        # shipment has is that shipment's, whatever the source calls its carrier.
        same = [row for row in found if row.carrier.code == item.carrier]
        shipment = same[0] if len(same) == 1 else found[0] if len(found) == 1 else None
        if shipment is None:
            result.unknown.append(number)
            continue
        pending.setdefault(shipment.pk, _Pending(shipment)).events.extend(item.events)
    return pending


def _attempt(
    items: Sequence[TrackingIn], shipment: Shipment | None, events: Sequence[EventIn], source: str
) -> tuple[RecordResult, dict[int, _Pending]]:
    result = RecordResult()
    with transaction.atomic():
        if shipment is not None:
            locked = _locked(Q(pk=shipment.pk))
            pending = {shipment.pk: _Pending(locked[0], list(events))} if locked else {}
        else:
            pending = _match(items, result)
        if pending:
            _record(pending, source, result)
    return result, pending


def _run(
    items: Sequence[TrackingIn], shipment: Shipment | None, events: Sequence[EventIn], source: str
) -> RecordResult:
    try:
        result, pending = _attempt(items, shipment, events, source)
    except IntegrityError:
        # Another delivery stored one of these events between our look and our insert (the
        # shipments lock orders deliveries of one shipment, not two shipments' events of one
        # external id); a second look finds it and counts it as a repeat.
        result, pending = _attempt(items, shipment, events, source)
    if shipment is not None and pending:
        fresh = pending[shipment.pk].shipment
        for name in SHIPMENT_FIELDS:
            setattr(shipment, name, getattr(fresh, name))
    if result.unknown:
        logger.info(
            "Tracking intake (%s): %d unknown tracking number(s), not stored: %s",
            source,
            len(result.unknown),
            ", ".join(result.unknown[:20]),
        )
    return result


def tracking_record(*, items: Sequence[TrackingIn], source: str) -> RecordResult:
    """Store the events of `items` (each naming its shipment by carrier code and tracking
    number) from `source` (a TrackingEvent.Source), all in one transaction, and move each
    shipment's status, estimate and dates by them; send `status_changed` inside the
    transaction with the moves. A repeated event (same source and external id) is counted,
    not stored again. A tracking number no shipment has is counted in `unknown`, logged and
    not stored. Batches past CHUNK items are written CHUNK at a time, each atomically."""
    total = RecordResult()
    for start in range(0, len(items), CHUNK):
        part = _run(items[start : start + CHUNK], None, (), source)
        total.stored += part.stored
        total.duplicates += part.duplicates
        total.status_changes += part.status_changes
        total.unknown.extend(part.unknown)
    return total


def events_record(*, shipment: Shipment, events: Sequence[EventIn], source: str) -> RecordResult:
    """tracking_record for the events of one known `shipment` (the API, an agent, polling,
    the simulator); `shipment` is refreshed with what changed."""
    return _run((), shipment, events, source)
