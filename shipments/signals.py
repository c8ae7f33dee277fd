"""Signals `shipments` sends, so its parts stay apart: tracking intake tells who cares that
shipments changed status; proactive updates and detection listen."""

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal


@dataclass(frozen=True)
class StatusChange:
    """A shipment whose normalised status moved because of tracking event `event_id` (0: by
    no event, as when an agent declares the parcel lost). `direction`, `case_id` (the case it
    was made for) and `issue_case_id` (its shipment-issue case) are the shipment's, so a
    listener can pass over the parcels it has no business with unasked."""

    shipment_id: int
    previous: str
    status: str
    incident_reason: str
    at: datetime
    event_id: int
    direction: str = "outbound"
    case_id: int | None = None
    issue_case_id: int | None = None


# Sent inside the transaction that moved the status, with `changes`: a list of StatusChange; by
# the intake (shipments/services/intake.py) once per batch, and by declaring a parcel lost
# (shipments/services/lost.py). Receivers defer side effects with transaction.on_commit.
status_changed = Signal()
