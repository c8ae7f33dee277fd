"""The deterministic simulator: a shipment's life as a scripted sequence of carrier events.

The script comes from the tracking number: "SIM-<SCRIPT>" or "SIM-<SCRIPT>-<anything>" plays it
("SIM-LOST-0001" the carrier-says-lost one, "SIM-CUSTOMS-DUTIES-7" a customs hold for duties;
the script's name upper-cased, "_" as "-"); any other number plays a script drawn from a hash
of the number, mostly on time. Each step happens at a fixed offset after the shipment's
`shipped_at`, and only the steps up to "now" are revealed, so polling the same parcel later
shows more of its life, and two runs at the same instant see exactly the same events (with the
same external ids, so the intake stores each once). "SIM-OUTAGE-…" numbers make the simulated
carrier fail (AdapterError), to show the poller's backoff.

Offsets are picked against detection's defaults (shipments/services/detection.py): a stall
is 10 days without a scan abroad, a presumed loss 20, so a script stops scanning early and the
demo picks each parcel's age to show the rule it is about."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import ClassVar

from django.utils import timezone

from shipments.models import IncidentReason, ShipmentStatus, TrackingEvent
from shipments.tracking import EventIn

from .registry import AdapterError

S = ShipmentStatus
R = IncidentReason
H = timedelta(hours=1)
D = timedelta(days=1)
PREFIX = "SIM-"


@dataclass(frozen=True)
class Step:
    """One carrier event, `after` the shipment was handed over. `estimate_days`: a revised
    delivery date the carrier announces with the event, in days after shipping."""

    after: timedelta
    status: str
    raw_status: str
    message: str
    location: str
    incident_reason: str = ""
    estimate_days: int | None = None


@dataclass(frozen=True)
class Script:
    """A shipment's scripted life: its steps in order, and what happens in a sentence."""

    name: str
    steps: tuple[Step, ...]
    description: str

    @property
    def length(self) -> timedelta:
        return self.steps[-1].after if self.steps else timedelta(0)


ORIGIN, EXPORT = "Leipzig, DE (origin hub)", "Frankfurt, DE (export hub)"
IMPORT, LOCAL = "Destination country (import hub)", "Local delivery depot"
PICKUP = "Parcel shop near the recipient"

_START = (
    Step(0 * H, S.INFO_RECEIVED, "IR", "Shipment information received", ORIGIN),
    Step(5 * H, S.IN_TRANSIT, "PU", "Picked up by the carrier", ORIGIN),
    Step(1 * D, S.IN_TRANSIT, "DP", "Departed the export hub", EXPORT),
)
_ARRIVE = (Step(2 * D, S.IN_TRANSIT, "AR", "Arrived in the destination country", IMPORT),)


def _delivery(day: int) -> tuple[Step, ...]:
    return (
        Step(day * D, S.OUT_FOR_DELIVERY, "OD", "Out for delivery", LOCAL),
        Step(day * D + 6 * H, S.DELIVERED, "DL", "Delivered", LOCAL),
    )


SCRIPTS: dict[str, Script] = {
    script.name: script
    for script in (
        Script("on_time", (*_START, *_ARRIVE, *_delivery(3)), "Delivered on day 3."),
        Script(
            "late",
            (
                *_START,
                Step(4 * D, S.IN_TRANSIT, "DL1", "Delayed in the carrier's network", EXPORT,
                     R.CARRIER_DELAY, estimate_days=14),
                Step(9 * D, S.IN_TRANSIT, "AR", "Arrived in the destination country", IMPORT),
                *_delivery(13),
            ),
            "Slow in the network: delivered on day 13, the estimate revised to day 14.",
        ),
        Script(
            "customs_documents",
            (
                *_START,
                *_ARRIVE,
                Step(2 * D + 4 * H, S.CUSTOMS_HOLD, "CD", "Customs needs a commercial invoice",
                     IMPORT, R.CUSTOMS_DOCUMENTS),
                Step(12 * D, S.IN_TRANSIT, "CR", "Released by customs", IMPORT),
                *_delivery(13),
            ),
            "Held in customs for documents from day 2 to day 12, delivered on day 13.",
        ),
        Script(
            "customs_duties",
            (
                *_START,
                *_ARRIVE,
                Step(2 * D + 4 * H, S.CUSTOMS_HOLD, "CT", "Import duties and taxes to be paid",
                     IMPORT, R.CUSTOMS_DUTIES),
                Step(11 * D, S.IN_TRANSIT, "CR", "Released by customs", IMPORT),
                *_delivery(12),
            ),
            "Held in customs for unpaid duties from day 2 to day 11, delivered on day 12.",
        ),
        Script(
            "stalled",
            (*_START,),
            "No scan after leaving the export hub on day 1 (stalled from day 11 abroad).",
        ),
        Script(
            "lost",
            (
                *_START,
                Step(8 * D, S.EXCEPTION, "NL", "Parcel cannot be located", EXPORT,
                     R.CARRIER_DELAY),
                Step(15 * D, S.LOST, "LS", "Parcel declared lost by the carrier", EXPORT, R.LOST),
            ),
            "The carrier searches from day 8 and declares the parcel lost on day 15.",
        ),
        Script(
            "lost_silent",
            (*_START, *_ARRIVE),
            "Last scan on day 2; no news after (presumed lost from day 22 abroad).",
        ),
        Script(
            "delivery_failed",
            (
                *_START,
                *_ARRIVE,
                Step(3 * D, S.OUT_FOR_DELIVERY, "OD", "Out for delivery", LOCAL),
                Step(3 * D + 5 * H, S.DELIVERY_FAILED, "NH",
                     "Delivery attempt failed: nobody at home", LOCAL, R.RECIPIENT_UNAVAILABLE),
                Step(4 * D, S.OUT_FOR_DELIVERY, "OD", "Out for delivery", LOCAL),
                Step(4 * D + 5 * H, S.DELIVERY_FAILED, "AD",
                     "Delivery attempt failed: address incomplete", LOCAL, R.ADDRESS),
            ),
            "Two failed delivery attempts on days 3 and 4, the second for the address.",
        ),
        Script(
            "pickup_waiting",
            (
                *_START,
                *_ARRIVE,
                Step(3 * D, S.OUT_FOR_DELIVERY, "OD", "Out for delivery", LOCAL),
                Step(3 * D + 5 * H, S.DELIVERY_FAILED, "NH",
                     "Delivery attempt failed: nobody at home", LOCAL, R.RECIPIENT_UNAVAILABLE),
                Step(3 * D + 8 * H, S.AVAILABLE_FOR_PICKUP, "PK",
                     "Waiting at a parcel shop for 14 days", PICKUP),
            ),
            "Waiting at a pickup point from day 3 (the carrier returns it after 14 days).",
        ),
        Script(
            "return_to_sender",
            (
                *_START,
                *_ARRIVE,
                Step(3 * D, S.OUT_FOR_DELIVERY, "OD", "Out for delivery", LOCAL),
                Step(3 * D + 5 * H, S.DELIVERY_FAILED, "RF", "Refused by the recipient", LOCAL,
                     R.REFUSED),
                Step(4 * D, S.RETURN_TO_SENDER, "RS", "Returning to the sender", LOCAL,
                     R.REFUSED),
            ),
            "Refused on day 3, returning to the sender from day 4.",
        ),
        Script("unknown_tracking", (), "The carrier never hears of the number."),
    )
}  # fmt: skip

# Numbers without a script in them: mostly on time, the rest as often as parcels go wrong
# (about one in five late or worse, as the figures say).
_WEIGHTS = (
    ("on_time", 78),
    ("late", 8),
    ("customs_documents", 2),
    ("customs_duties", 2),
    ("stalled", 3),
    ("lost", 1),
    ("lost_silent", 1),
    ("delivery_failed", 2),
    ("pickup_waiting", 1),
    ("return_to_sender", 1),
    ("unknown_tracking", 1),
)
_DRAW = [name for name, weight in _WEIGHTS for _ in range(weight)]
# Longest first: "SIM-LOST-SILENT-1" is lost_silent, not lost.
_BY_LENGTH = sorted(SCRIPTS, key=len, reverse=True)
OUTAGE = "OUTAGE"


def tracking_number_for(script: str, serial: int) -> str:
    """The simulator's tracking number that plays `script`, e.g. SIM-LOST-SILENT-0003."""
    if script not in SCRIPTS:
        raise KeyError(script)
    return f"{PREFIX}{script.upper().replace('_', '-')}-{serial:04d}"


def script_for(tracking_number: str) -> Script:
    """The script `tracking_number` plays: the one it names, else one drawn from its hash."""
    upper = tracking_number.upper()
    for name in _BY_LENGTH:
        tag = PREFIX + name.upper().replace("_", "-")
        if upper == tag or upper.startswith(tag + "-"):
            return SCRIPTS[name]
    digest = hashlib.sha256(tracking_number.encode()).digest()
    return SCRIPTS[_DRAW[int.from_bytes(digest[:4], "big") % len(_DRAW)]]


def simulate(tracking_number: str, *, shipped_at: datetime | None, now: datetime) -> list[EventIn]:
    """The events of `tracking_number`'s script that happened by `now`, oldest first. Nothing
    before the parcel is shipped (`shipped_at` None or in the future)."""
    if shipped_at is None:
        return []
    script = script_for(tracking_number)
    start: date = shipped_at.date()
    events = []
    for index, step in enumerate(script.steps):
        occurred_at = shipped_at + step.after
        if occurred_at > now:
            break
        events.append(
            EventIn(
                occurred_at=occurred_at,
                status=step.status,
                incident_reason=step.incident_reason,
                raw_status=step.raw_status,
                message=step.message,
                location=step.location,
                external_id=f"sim:{tracking_number}:{index}",
                estimate=None
                if step.estimate_days is None
                else start + timedelta(days=step.estimate_days),
                payload={"script": script.name, "step": index},
            )
        )
    return events


class SimulatorAdapter:
    """The simulator as a polling adapter (carrier code "simulator")."""

    source: ClassVar[str] = TrackingEvent.Source.SIMULATOR

    def fetch(self, tracking_number: str, *, shipped_at: datetime | None = None) -> list[EventIn]:
        if OUTAGE in tracking_number.upper():
            raise AdapterError("The simulated carrier is down (an OUTAGE tracking number).")
        return simulate(tracking_number, shipped_at=shipped_at, now=timezone.now())
