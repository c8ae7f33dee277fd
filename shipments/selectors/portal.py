"""What the customer's pages read about their parcels: the shipments of their orders, with the
tracking timeline on the order's page.

The callers pass orders the customer owns (the portal found them by the signed-in customer), so
nothing here can reach another customer's parcel."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from shipments.models import Shipment, ShipmentStatus, TrackingEvent

# What the order page lists of a parcel's tracking: the newest events, enough for any real
# parcel's life (a carrier scans a parcel some 5 to 30 times) without an unbounded page.
TIMELINE_EVENTS = 50


@dataclass(frozen=True)
class Parcel:
    """One shipment as the customer sees it."""

    shipment: Shipment
    tracking_link: str
    estimate: date | None
    # Past its estimate and still on its way (not waiting at a pickup point for the customer).
    late: bool
    # Newest first; empty for the short line on My orders.
    events: Sequence[TrackingEvent] = field(default=())

    @property
    def delivered(self) -> bool:
        return self.shipment.status == ShipmentStatus.DELIVERED

    @property
    def to_collect(self) -> bool:
        """It arrived at a pickup point: the customer's move, whatever the estimate said."""
        return self.shipment.status == ShipmentStatus.AVAILABLE_FOR_PICKUP


def _shipments(order_ids: Sequence[int]) -> QuerySet[Shipment]:
    return (
        Shipment.objects.filter(order_id__in=order_ids)
        # A return parcel's label, for its download link (none: no query to find that out).
        .select_related("carrier", "label")
        .order_by("order_id", "created_at", "pk")
    )


def parcel_view(shipment: Shipment, *, today: date | None = None) -> Parcel:
    """`shipment` (with its carrier, and its events if prefetched as `timeline`) as a Parcel."""
    today = today or timezone.localdate()
    estimate = shipment.estimate
    late = bool(
        estimate
        and estimate < today
        and not shipment.is_final
        and shipment.status != ShipmentStatus.AVAILABLE_FOR_PICKUP
    )
    events = getattr(shipment, "timeline", ())[:TIMELINE_EVENTS]
    return Parcel(
        shipment=shipment,
        tracking_link=shipment.tracking_link,
        estimate=estimate,
        late=late,
        events=events,
    )


def parcels_for_orders(*, order_ids: Sequence[int], timeline: bool) -> dict[int, list[Parcel]]:
    """{order id: its parcels, the first shipped first} for the orders that have any; with each
    parcel's tracking events, newest first, when `timeline` is asked for. One query, two with
    the timeline, whatever the number of orders, parcels or events."""
    shipments = _shipments(order_ids)
    if timeline:
        events = TrackingEvent.objects.order_by("-occurred_at", "-pk").only(
            "shipment_id", "occurred_at", "status", "location"
        )
        shipments = shipments.prefetch_related(Prefetch("events", events, to_attr="timeline"))
    today = timezone.localdate()
    found: dict[int, list[Parcel]] = {}
    for shipment in shipments:
        found.setdefault(shipment.order_id, []).append(parcel_view(shipment, today=today))
    return found


def parcel_choices(*, order_id: int) -> list[Shipment]:
    """The parcels of order `order_id` a customer may report as missing: those on the way to
    them (outbound and replacements), the first shipped first. One query."""
    return list(_shipments([order_id]).exclude(direction=Shipment.Direction.RETURN))


def shipment_of_case(*, case_id: int) -> Shipment | None:
    """The shipment whose shipment-issue case is `case_id`, with its carrier, or None."""
    return Shipment.objects.select_related("carrier").filter(issue_case_id=case_id).first()
