"""The returns part of `manage.py seed_demo` (registered in apps.py with tickets'
demo_seeders): return policies (Germany's, with a holiday-season window and excluded gift
cards, and one for every other country), and return requests through the claim service:
approved ones in every later state (label out, parcels back waiting for inspection, inspected,
the refund waiting, paid and failed), one waiting for an agent, one an agent rejected; and two
defect claims with a photo, one back for inspection, one settled with a replacement to ship.

The requests are for demo orders without a demo case, placed within the return window, that
reached their customer (their parcel delivered); the choice follows the orders' dates and
numbers, so two databases get the same requests. Each is played through the services at
seeding time, then dated back step by step (Replay): opened after its order arrived, the
parcel scanned a day later and at the warehouse two days after that, inspected the next day,
the refund paid or failed a day later. The further a request went, the longer ago it was
opened. Made once: a database with any return request keeps its requests as they are."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from returns.models import (
    EU_COUNTRIES,
    RefundTransaction,
    ReturnPolicy,
    ReturnRequest,
    SpecialWindow,
)
from returns.services.claims import (
    LineClaim,
    return_request_approve,
    return_request_reject,
    return_request_submit,
)
from returns.services.inspection import (
    LineInspection,
    return_request_inspect,
    return_request_resolve,
)
from returns.services.refunds import refund_confirm, refund_fail, refund_start
from shipments.labels.models import Label
from shipments.models import Shipment, ShipmentStatus, TrackingEvent
from shipments.services.intake import events_record
from shipments.tracking import EventIn
from tickets.demo_seeders import DemoContext, Replay, case_date_back, demo_photo
from tickets.models import Case, Compensation, Order
from tickets.services.compensations import compensation_approve

Kind = ReturnRequest.Kind
Outcome = ReturnRequest.Outcome
# Orders placed at most this long ago can still be returned under the demo policies.
RECENT = datetime.timedelta(days=20)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)
# How far each approved demo request goes, how many days before the demo's now it was
# opened, and its kind, in the order of the candidate orders from the newest. The defect
# claims: one back at the warehouse for an agent to confirm the fault, one confirmed and
# settled with a replacement that waits to ship.
STAGES = (
    ("label", 1, Kind.RETURN),
    ("received", 4, Kind.RETURN),
    ("received", 5, Kind.RETURN),
    ("received", 5, Kind.DEFECT),
    ("inspected", 6, Kind.RETURN),
    ("replacement", 6, Kind.DEFECT),
    ("refund_pending", 7, Kind.RETURN),
    ("refund_paid", 10, Kind.RETURN),
    ("refund_failed", 8, Kind.RETURN),
)
# The requests an agent decides, and how many days ago they were opened.
DECIDED_BY_AGENT = (("waiting", 1, Kind.RETURN), ("rejected", 3, Kind.RETURN))
# When each step comes after the opening: an agent's approval where the policy leaves it to
# them, the parcel's first scan, its delivery to the warehouse (received), the inspection
# (and the decision an hour later), the refund's outcome.
APPROVED, SCANNED, RECEIVED, INSPECTED, DECIDED, REFUNDED = (
    4 * HOUR,
    DAY,
    3 * DAY,
    4 * DAY,
    4 * DAY + HOUR,
    5 * DAY,
)
# What the customer writes, by language: (a return, a defect).
WORDS = {
    "en": (
        "It does not fit. Order %(order)s.",
        "It stopped working after two days: it does not switch on any more. Order %(order)s.",
    ),
    "de": (
        "Passt leider nicht. Bestellung %(order)s.",
        "Nach zwei Tagen funktioniert es nicht mehr, es lässt sich nicht einschalten. "
        "Bestellung %(order)s.",
    ),
    "fr": (
        "Ça ne me va pas. Commande %(order)s.",
        "Il ne fonctionne plus après deux jours : il ne s'allume plus. Commande %(order)s.",
    ),
    "es": (
        "No me queda bien. Pedido %(order)s.",
        "Dejó de funcionar a los dos días: ya no se enciende. Pedido %(order)s.",
    ),
    "zh-hans": ("尺寸不合适。订单 %(order)s。", "用了两天就坏了，现在开不了机。订单 %(order)s。"),
}
# A demo order without a parcel reached its customer this long after it was placed.
DELIVERY = 4 * DAY


def _policies(now: datetime.datetime) -> tuple[ReturnPolicy, ReturnPolicy]:
    eu, _ = ReturnPolicy.objects.get_or_create(
        name="Germany: 30 days, no questions asked",
        country="DE",
        defaults={
            "window_days": 30,
            "warranty_months": 24,
            "auto_approve_max_value": Decimal("150.00"),
            "excluded_skus": "GIFT-*",
            "restocking_fee_percent": Decimal(0),
        },
    )
    year = now.year
    SpecialWindow.objects.get_or_create(
        policy=eu,
        name=f"Holiday season {year}",
        defaults={
            "purchased_from": datetime.date(year, 11, 15),
            "purchased_until": datetime.date(year, 12, 24),
            "returnable_until": datetime.date(year + 1, 1, 15),
        },
    )
    other, _ = ReturnPolicy.objects.get_or_create(
        name="Rest of the world: 30 days, reviewed by an agent",
        country="",
        defaults={
            "window_days": 30,
            "warranty_months": 12,
            "auto_approve_max_value": None,
            "restocking_fee_percent": Decimal("10.00"),
            "return_shipping_paid_by": ReturnPolicy.ShippingPaidBy.CUSTOMER,
        },
    )
    return eu, other


def returns_demo_seed(context: DemoContext) -> str:
    _policies(context.now)
    if ReturnRequest.objects.exists():
        return ""
    recent = sorted(
        (
            order
            for number, order in context.orders.items()
            if number not in context.case_orders and context.now - order.placed_at < RECENT
        ),
        key=lambda order: order.number,
    )
    arrived = _arrivals(recent, context.now)
    candidates = [order for order in recent if order.pk in arrived]
    abroad = [order for order in candidates if order.shipping_country.code not in EU_COUNTRIES]
    path = [order for order in candidates if order not in abroad[:2]]
    # The orders that arrived longest ago, which leave the most room for the steps; among them
    # the last to arrive first (by number where they came together): the further a request
    # went, the longer ago its order arrived.
    path = sorted(path, key=lambda order: arrived[order.pk])[: len(STAGES)]
    path.sort(key=lambda order: arrived[order.pk], reverse=True)
    # Abroad the policy leaves it to an agent: one waits, one was rejected.
    plan = [*zip(STAGES, path, strict=False), *zip(DECIDED_BY_AGENT, abroad[:2], strict=False)]
    made: list[ReturnRequest] = []
    for (stage, days, kind), order in plan:
        at = _plan(arrived[order.pk], days, context)
        replay = Replay()
        replay.mark(at())
        request = _claim(order, kind)
        if request is None:
            continue
        made.append(request)
        _play(request, stage, context, replay, at)
        _date_back(request, replay)
    by_status: dict[str, int] = {}
    for request in ReturnRequest.objects.all():
        by_status[request.status] = by_status.get(request.status, 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    return f"Demo returns: 2 policies, {len(made)} return requests ({counts})."


def _play(
    request: ReturnRequest,
    stage: str,
    context: DemoContext,
    replay: Replay,
    at: Callable[..., datetime.datetime],
) -> None:
    """Take a new request as far as `stage`, marking each step's time (`at` its delay) on
    `replay`."""
    if stage in ("waiting", "rejected"):
        if stage == "rejected":
            replay.mark(at(APPROVED))
            return_request_reject(
                return_request=request,
                actor=context.agent,
                reason="The item was worn: it has stains and the labels are gone.",
            )
        return
    if request.status == ReturnRequest.Status.REQUESTED:
        replay.mark(at(APPROVED))
        request = return_request_approve(return_request=request, actor=context.agent)
    if stage != "label" and request.status == ReturnRequest.Status.LABEL_ISSUED:
        request = _parcel_back(request, replay, at)
    if stage in ("label", "received") or request.status != ReturnRequest.Status.RECEIVED:
        return
    replay.mark(at(INSPECTED))
    found = (
        ("C", True, "return_to_vendor", "Fault confirmed on the bench.")
        if request.kind == ReturnRequest.Kind.DEFECT
        else ("B", None, "restock", "Opened, complete.")
    )
    request = return_request_inspect(
        return_request=request,
        lines=[LineInspection(line.pk, *found) for line in request.lines.all()],
        actor=context.agent,
    )
    if stage == "replacement":
        replay.mark(at(DECIDED))
        return_request_resolve(
            return_request=request, resolution="replacement", actor=context.agent
        )
    elif stage != "inspected":
        replay.mark(at(DECIDED))
        return_request_resolve(return_request=request, resolution="refund", actor=context.agent)
        _refund_outcome(request, stage, context, replay, at(REFUNDED))


def _refund_outcome(
    request: ReturnRequest,
    stage: str,
    context: DemoContext,
    replay: Replay,
    settled: datetime.datetime,
) -> None:
    """Start the refund (a supervisor approves it first where it is above the limit), then
    pay it or have it fail at `settled`, as `stage` says."""
    request.refresh_from_db()
    compensation = request.compensation
    if compensation is not None and compensation.status == Compensation.Status.PROPOSED:
        # Above the approval limit the demo supervisor approves it, then the refund starts.
        compensation_approve(compensation=compensation, actor=context.supervisor)
        refund_start(return_request=request, actor=context.agent)
    refund = request.refund_transactions.filter(status=RefundTransaction.Status.PENDING).first()
    if refund is None or stage == "refund_pending":
        return
    replay.mark(settled)
    if stage == "refund_paid":
        refund_confirm(refund=refund, reference=f"DEMO-{request.rma[-4:]}", actor=context.agent)
    else:
        refund_fail(refund=refund, reason="The card on the order has expired.", actor=context.agent)


def _claim(order: Order, kind: str) -> ReturnRequest | None:
    """The customer's request for the order's first item: a return that does not fit, or a
    defect (with a photo, as the policies ask) they want replaced; in their language."""
    line = order.lines.filter(removed_at__isnull=True).order_by("position", "pk").first()
    if line is None:
        return None
    defect = kind == Kind.DEFECT
    words = WORDS.get(order.customer.language, WORDS["en"])[defect] % {"order": order.number}
    return return_request_submit(
        order=order,
        kind=kind,
        lines=[
            LineClaim(
                order_line_id=line.pk,
                quantity=1,
                reason_code="stopped_working" if defect else "doesnt_fit",
                description=words if defect else "",
            )
        ],
        preferred_outcome=Outcome.REPLACEMENT if defect else Outcome.REFUND,
        channel=Case.Channel.PORTAL,
        description=words,
        uploads=demo_photo("fault.jpg") if defect else (),
        sender_address=_address(order),
    )


def _arrivals(orders: list[Order], now: datetime.datetime) -> dict[int, datetime.datetime]:
    """When each of `orders` reached its customer, by order id: its parcel's delivery, or
    DELIVERY after it was placed where the demo gave it no parcel. An order still on its way
    is left out: there is nothing to send back yet."""
    delivered = dict(
        Shipment.objects.filter(
            order__in=orders, direction=Shipment.Direction.OUTBOUND
        ).values_list("order_id", "delivered_at")
    )
    arrivals = {}
    for order in orders:
        at = delivered[order.pk] if order.pk in delivered else order.placed_at + DELIVERY
        if at is not None and at < now:
            arrivals[order.pk] = at
    return arrivals


def _plan(
    arrived: datetime.datetime, days: int, context: DemoContext
) -> Callable[..., datetime.datetime]:
    """When each step of a request happened, by its delay after the opening: opened `days`
    before the demo's now, but not before its order `arrived` (an hour after, at the
    earliest); no step after the demo's now."""
    opened = max(context.now - days * DAY, arrived + HOUR)

    def at(after: datetime.timedelta = datetime.timedelta(0)) -> datetime.datetime:
        return min(opened + after, context.now)

    return at


def _parcel_back(
    request: ReturnRequest, replay: Replay, at: Callable[..., datetime.datetime]
) -> ReturnRequest:
    """The return parcel's carrier scans it a day after the opening and delivers it to the
    warehouse two days later (so the queue and the time to refund have something to show)."""
    parcel = Label.objects.get(reference=request.rma).shipment
    for after, status in (
        (SCANNED, ShipmentStatus.IN_TRANSIT),
        (RECEIVED, ShipmentStatus.DELIVERED),
    ):
        replay.mark(at(after))
        events_record(
            shipment=parcel,
            events=(EventIn(occurred_at=at(after), status=status),),
            source="simulator",
        )
    request.refresh_from_db()
    return request


def _date_back(request: ReturnRequest, replay: Replay) -> None:
    """Date the request played at seeding back, step by step (`replay`): its own times, its
    refunds', its label's (the last day to hand the parcel over moves with it), its parcel's,
    and its case's with the case's history."""
    request.refresh_from_db()
    names = ("created_at", "updated_at", "decided_at", "received_at", "inspected_at", "refunded_at")
    ReturnRequest.objects.filter(pk=request.pk).update(
        **{name: replay(getattr(request, name)) for name in names}
    )
    refunds = list(request.refund_transactions.all())
    for refund in refunds:
        refund.created_at, refund.completed_at = (
            replay(refund.created_at),
            replay(refund.completed_at),
        )
    RefundTransaction.objects.bulk_update(refunds, ["created_at", "completed_at"])
    label = Label.objects.filter(reference=request.rma).select_related("shipment").first()
    if label is not None:
        created = replay(label.created_at)
        Label.objects.filter(pk=label.pk).update(
            created_at=created,
            valid_until=label.valid_until - (label.created_at.date() - created.date()),
        )
        parcel = label.shipment
        Shipment.objects.filter(pk=parcel.pk).update(
            created_at=replay(parcel.created_at), updated_at=replay(parcel.updated_at)
        )
        events = list(TrackingEvent.objects.filter(shipment=parcel))
        for event in events:
            event.created_at = replay(event.created_at)
        TrackingEvent.objects.bulk_update(events, ["created_at"])
    case_date_back(Case.objects.get(pk=request.case_id), replay)


def _address(order: Order) -> dict[str, str]:
    """Where the demo customer sends the parcel from (orders carry no street address)."""
    return {
        "name": order.customer.name,
        "line1": f"Demo Street {order.pk % 97 + 1}",
        "postcode": f"{10000 + order.pk % 89999}",
        "city": "Demo City",
        "country": order.shipping_country.code,
    }
