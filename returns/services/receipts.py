"""The return parcel on its way back: the RMA follows its tracking (on its way → in_transit,
delivered to the warehouse → received, in the inspection queue) and the customer is told when it
has arrived. An agent marks a parcel received that came without tracking."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from returns.errors import InvalidReturnTransition
from returns.models import ReturnPolicy, ReturnRequest
from returns.services.claims import case_waits_for_parcel, lock, move
from returns.services.refunds import refund_release
from returns.verbs import Verb
from shipments.models import Shipment, ShipmentStatus
from shipments.signals import StatusChange
from tickets.services import timeline
from tickets.services.notifications import notify
from tickets.services.timeline import Actor

Status = ReturnRequest.Status
RECEIVED_EVENT = "return_received"
# Tracking statuses that show the parcel left the customer (the carrier has it).
MOVING = frozenset(
    {
        ShipmentStatus.IN_TRANSIT,
        ShipmentStatus.CUSTOMS_HOLD,
        ShipmentStatus.OUT_FOR_DELIVERY,
        ShipmentStatus.AVAILABLE_FOR_PICKUP,
        ShipmentStatus.DELIVERY_FAILED,
        ShipmentStatus.EXCEPTION,
    }
)
WAITING_FOR_PARCEL = (Status.LABEL_ISSUED, Status.IN_TRANSIT)


def _in_transit(request: ReturnRequest, *, actor: Actor) -> None:
    move(request, Status.IN_TRANSIT)
    timeline.record(
        case=request.case,
        verb=Verb.IN_TRANSIT,
        actor=actor,
        data={"rma": request.rma, **timeline.by_system_unless(actor)},
    )
    refund_release(request, point=ReturnPolicy.RefundRelease.IN_TRANSIT, actor=actor)


def _receive(request: ReturnRequest, *, actor: Actor, at: datetime) -> ReturnRequest:
    if request.status == Status.LABEL_ISSUED:
        _in_transit(request, actor=actor)
    move(request, Status.RECEIVED, received_at=at)
    case_waits_for_parcel(request.case, waiting=False, reason="return_received")
    timeline.record(
        case=request.case,
        verb=Verb.RECEIVED,
        actor=actor,
        data={"rma": request.rma, "at": at.isoformat(), "by": "agent" if actor else "tracking"},
    )
    notify(
        customer=request.case.customer,
        event=RECEIVED_EVENT,
        key=request.rma,
        case=request.case,
        context={"return_request": request, "order": request.order},
    )
    refund_release(request, point=ReturnPolicy.RefundRelease.DELIVERED, actor=actor)
    return request


@transaction.atomic
def return_request_receive(*, return_request: ReturnRequest, actor: Actor) -> ReturnRequest:
    """An agent marks the return parcel received (it came without tracking, or before it).
    Raises InvalidReturnTransition unless the request waits for its parcel."""
    request = lock(return_request)
    if request.status not in WAITING_FOR_PARCEL:
        raise InvalidReturnTransition(rma=request.rma, current=request.status, target="received")
    return _receive(request, actor=actor, at=timezone.now())


def return_parcels_moved(*, changes: Sequence[StatusChange]) -> int:
    """The RMAs of the return parcels in `changes` follow them (called inside the tracking
    intake's transaction, once per batch: no query when no return parcel of a case moved); how
    many requests moved."""
    latest: dict[int, StatusChange] = {}
    for change in changes:
        moving = change.status in MOVING or change.status == ShipmentStatus.DELIVERED
        if change.direction == Shipment.Direction.RETURN and change.case_id and moving:
            latest[change.case_id] = change
    if not latest:
        return 0
    moved = 0
    requests = (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("case__customer", "order")
        .filter(case_id__in=latest, status__in=WAITING_FOR_PARCEL)
        .order_by("pk")
    )
    for request in requests:
        change = latest[request.case_id]
        if change.status == ShipmentStatus.DELIVERED:
            _receive(request, actor=None, at=change.at)
        elif request.status == Status.LABEL_ISSUED:
            _in_transit(request, actor=None)
        else:
            continue
        moved += 1
    return moved
