"""What goes back to the customer after an exchange, a replacement or a repair: the warehouse
ships it and the agent enters the parcel's tracking number. The parcel is a `replacement`
shipment of the order made for the request's case, tracked like any other (the customer gets
its status updates); the outcome's compensation is issued with the tracking number as its
reference, the customer is told with the tracking link, and the case, kept open for it since
the outcome was decided, is resolved."""

from django.db import transaction
from django.utils import timezone

from returns.errors import NothingToShipBack
from returns.models import ReturnRequest
from returns.services.claims import case_to, lock
from returns.verbs import Verb
from shipments.models import Carrier, Shipment
from shipments.services.shipments import shipment_create
from tickets.models import Case
from tickets.services import timeline
from tickets.services.compensations import compensation_goods_shipped
from tickets.services.notifications import notify
from tickets.services.timeline import Actor

Resolution = ReturnRequest.Resolution
SHIPPED_BACK_EVENT = "return_shipped_back"
SHIPPED_BACK = (Resolution.EXCHANGE, Resolution.REPLACEMENT, Resolution.REPAIR)


def ship_back_parcel(request: ReturnRequest) -> Shipment | None:
    """The parcel already sent back after the request's exchange, replacement or repair, or
    None (no query for another outcome)."""
    if request.resolution not in SHIPPED_BACK:
        return None
    return (
        Shipment.objects.select_related("carrier")
        .filter(case_id=request.case_id, direction=Shipment.Direction.REPLACEMENT)
        .first()
    )


def ship_back_due(request: ReturnRequest, parcel: Shipment | None) -> bool:
    """A resolved exchange, replacement or repair whose parcel (`parcel`, as ship_back_parcel
    read it) has not left yet."""
    return (
        request.status == ReturnRequest.Status.RESOLVED
        and request.resolution in SHIPPED_BACK
        and parcel is None
    )


@transaction.atomic
def return_ship_back(
    *, return_request: ReturnRequest, carrier: Carrier | str, tracking_number: str, actor: Actor
) -> Shipment:
    """Record the parcel going back to the customer of a resolved exchange, replacement or
    repair. Raises NothingToShipBack (another outcome, or sent already), and what
    shipment_create raises (ShipmentExists, ShipmentInvalid); nothing is stored then."""
    request = lock(return_request)
    if not ship_back_due(request, ship_back_parcel(request)):
        raise NothingToShipBack(rma=request.rma)
    shipment = shipment_create(
        order=request.order,
        carrier=carrier,
        tracking_number=tracking_number,
        direction=Shipment.Direction.REPLACEMENT,
        case=request.case,
        shipped_at=timezone.now(),
    )
    compensation_goods_shipped(
        compensation=request.compensation, actor=actor, tracking_number=shipment.tracking_number
    )
    timeline.record(
        case=request.case,
        verb=Verb.SHIPPED_BACK,
        actor=actor,
        data={
            "rma": request.rma,
            "resolution": request.resolution,
            "shipment": shipment.pk,
            "carrier": shipment.carrier.code,
            "tracking_number": shipment.tracking_number,
        },
    )
    notify(
        customer=request.case.customer,
        event=SHIPPED_BACK_EVENT,
        key=f"{request.rma}:{shipment.pk}",
        case=request.case,
        context={
            "return_request": request,
            "order": request.order,
            "shipment": shipment,
            "tracking_link": shipment.tracking_link,
        },
    )
    case_to(request.case, Case.Status.RESOLVED, reason="return_shipped_back")
    return shipment
