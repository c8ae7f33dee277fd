"""A tracking event an agent adds by hand (the carrier told them by phone, or on a page no
adapter reads): stored through the one tracking intake, like any source's, and noted on the
shipment's case."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from shipments.models import Shipment, ShipmentStatus, TrackingEvent
from shipments.services.intake import events_record
from shipments.tracking import EventIn, RecordResult
from shipments.verbs import Verb
from tickets.services import timeline
from tickets.services.timeline import Actor

# A clock a little ahead on the agent's machine is no reason to refuse their event.
FUTURE_SLACK = timedelta(minutes=5)


def manual_event_add(
    *,
    shipment: Shipment,
    occurred_at: datetime,
    status: str,
    message: str,
    actor: Actor,
    location: str = "",
) -> RecordResult:
    """Record what the agent learnt about `shipment` as an "agent" tracking event, through
    the intake (the shipment's status moves as for any source; a repeat is stored once), and
    note it on the shipment's case. Raises ValidationError for a time in the future or a
    status the set does not have."""
    if status not in ShipmentStatus.values:
        raise ValidationError({"status": ValidationError(_("Not a tracking status."))})
    if occurred_at > timezone.now() + FUTURE_SLACK:
        raise ValidationError({"occurred_at": ValidationError(_("That time is in the future."))})
    # The intake runs its own transactions (it retries once on a concurrent insert), so the
    # case's note follows it rather than wrapping it.
    result = events_record(
        shipment=shipment,
        events=[
            EventIn(
                occurred_at=occurred_at,
                status=status,
                raw_status="agent",
                message=message.strip(),
                location=location.strip(),
            )
        ],
        source=TrackingEvent.Source.AGENT,
    )
    case = shipment.issue_case or shipment.case
    if case is not None and result.stored:
        timeline.record(
            case=case,
            verb=Verb.MANUAL_EVENT,
            actor=actor,
            data={
                "shipment": shipment.pk,
                "status": status,
                "message": message.strip()[:200],
                "at": occurred_at.isoformat(),
            },
        )
    return result
