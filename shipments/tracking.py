"""What every tracking source hands to the intake (shipments/services/intake.py): events
already mapped onto the normalised status set, for one shipment each."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class EventIn:
    """One tracking event as a source reports it, normalised (shipments/status_map.py).

    `external_id` is the source's id of the event; "" lets the intake derive one from the
    shipment, time, status and message, so a repeated delivery is still stored once.
    `estimate` is a revised delivery date the source gives with the event, if any."""

    occurred_at: datetime
    status: str
    incident_reason: str = ""
    raw_status: str = ""
    message: str = ""
    location: str = ""
    external_id: str = ""
    estimate: date | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TrackingIn:
    """Events for the shipment a source names by carrier and tracking number (`carrier` may be
    "" where the source does not say; the tracking number alone must then be unambiguous)."""

    tracking_number: str
    events: tuple[EventIn, ...]
    carrier: str = ""


@dataclass
class RecordResult:
    """What one intake call did: events stored, repeats skipped, shipments whose status moved,
    and tracking numbers nobody knows (acknowledged, logged, not stored)."""

    stored: int = 0
    duplicates: int = 0
    status_changes: int = 0
    unknown: list[str] = field(default_factory=list)
