"""Signals `shipments` sends, so its parts stay apart: tracking intake tells who cares that
shipments changed status; proactive updates and detection listen."""

from dataclasses import dataclass
from datetime import datetime

from django.dispatch import Signal


@dataclass(frozen=True)
class StatusChange:
    """A shipment whose normalised status moved because of tracking event `event_id`."""

    shipment_id: int
    previous: str
    status: str
    incident_reason: str
    at: datetime
    event_id: int


# Sent by the intake (shipments/services/intake.py) inside its transaction, once per batch, with
# `changes`: a list of StatusChange. Receivers defer side effects with transaction.on_commit.
status_changed = Signal()
