"""The returns part of `manage.py seed_demo` (registered in apps.py with tickets'
demo_seeders): return policies (Germany's, with a holiday-season window and excluded gift
cards, and one for every other country), and return requests through the claim service:
approved ones in every later state (label out, parcels back waiting for inspection, inspected,
the refund waiting, paid and failed), one waiting for an agent, one an agent rejected.

The requests are for demo orders without a demo case, placed within the return window; the
choice follows the orders' numbers, so two databases get the same requests. Made once: a
database with any return request keeps its requests as they are."""

import datetime
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
from shipments.models import ShipmentStatus
from shipments.services.intake import events_record
from shipments.tracking import EventIn
from tickets.demo_seeders import DemoContext
from tickets.models import Case, Compensation, Order
from tickets.services.compensations import compensation_approve

# Orders placed at most this long ago can still be returned under the demo policies.
RECENT = datetime.timedelta(days=20)
DAY = datetime.timedelta(days=1)
# How far each approved demo request goes, in the order of the candidate orders.
STAGES = (
    "label",
    "received",
    "received",
    "inspected",
    "refund_pending",
    "refund_paid",
    "refund_failed",
)


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
    candidates = sorted(
        (
            order
            for number, order in context.orders.items()
            if number not in context.case_orders and context.now - order.placed_at < RECENT
        ),
        key=lambda order: order.number,
    )
    abroad = [order for order in candidates if order.shipping_country.code not in EU_COUNTRIES]
    path = [order for order in candidates if order not in abroad[:2]]
    made: list[ReturnRequest] = []
    # Approved (by the German policy at once, elsewhere by an agent) with the label issued;
    # the later steps are played on the next ones so every state has work in it: the label
    # out, two parcels back and waiting for inspection, one inspected, and three refunded (one
    # waiting for the agent to confirm the refund in the shop, one paid, one the shop could not
    # pay, to retry).
    for stage, order in zip(STAGES, path, strict=False):
        request = _claim(order)
        if request is None:
            continue
        made.append(request)
        if request.status == ReturnRequest.Status.REQUESTED:
            request = return_request_approve(return_request=request, actor=context.agent)
        if stage != "label" and request.status == ReturnRequest.Status.LABEL_ISSUED:
            request = _parcel_back(request, context)
        if stage in ("label", "received") or request.status != ReturnRequest.Status.RECEIVED:
            continue
        request = return_request_inspect(
            return_request=request,
            lines=[
                LineInspection(line.pk, "B", None, "restock", "Opened, complete.")
                for line in request.lines.all()
            ],
            actor=context.agent,
        )
        if stage != "inspected":
            return_request_resolve(return_request=request, resolution="refund", actor=context.agent)
            _refund_outcome(request, stage, context)
    # Abroad the policy leaves it to an agent: one waits, one was rejected.
    waiting = [request for order in abroad[:2] if (request := _claim(order)) is not None]
    made += waiting
    if len(waiting) == 2:
        return_request_reject(
            return_request=waiting[1],
            actor=context.agent,
            reason="The item was worn: it has stains and the labels are gone.",
        )
    by_status: dict[str, int] = {}
    for request in ReturnRequest.objects.all():
        by_status[request.status] = by_status.get(request.status, 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
    return f"Demo returns: 2 policies, {len(made)} return requests ({counts})."


def _refund_outcome(request: ReturnRequest, stage: str, context: DemoContext) -> None:
    request.refresh_from_db()
    compensation = request.compensation
    if compensation is not None and compensation.status == Compensation.Status.PROPOSED:
        # Above the approval limit the demo supervisor approves it, then the refund starts.
        compensation_approve(compensation=compensation, actor=context.supervisor)
        refund_start(return_request=request, actor=context.agent)
    refund = request.refund_transactions.filter(status=RefundTransaction.Status.PENDING).first()
    if refund is None or stage == "refund_pending":
        return
    if stage == "refund_paid":
        refund_confirm(refund=refund, reference=f"DEMO-{request.rma[-4:]}", actor=context.agent)
    else:
        refund_fail(refund=refund, reason="The card on the order has expired.", actor=context.agent)


def _claim(order: Order) -> ReturnRequest | None:
    line = order.lines.filter(removed_at__isnull=True).order_by("position", "pk").first()
    if line is None:
        return None
    return return_request_submit(
        order=order,
        kind=ReturnRequest.Kind.RETURN,
        lines=[LineClaim(order_line_id=line.pk, quantity=1, reason_code="doesnt_fit")],
        preferred_outcome=ReturnRequest.Outcome.REFUND,
        channel=Case.Channel.PORTAL,
        description=_words(order),
        sender_address=_address(order),
    )


def _parcel_back(request: ReturnRequest, context: DemoContext) -> ReturnRequest:
    """The return parcel's carrier scanned it in transit three days ago and delivered to the
    warehouse two days ago (so the queue and the time to refund have something to show)."""
    parcel = Label.objects.get(reference=request.rma).shipment
    events_record(
        shipment=parcel,
        events=(
            EventIn(occurred_at=context.now - 3 * DAY, status=ShipmentStatus.IN_TRANSIT),
            EventIn(occurred_at=context.now - 2 * DAY, status=ShipmentStatus.DELIVERED),
        ),
        source="simulator",
    )
    request.refresh_from_db()
    return request


def _address(order: Order) -> dict[str, str]:
    """Where the demo customer sends the parcel from (orders carry no street address)."""
    return {
        "name": order.customer.name,
        "line1": f"Demo Street {order.pk % 97 + 1}",
        "postcode": f"{10000 + order.pk % 89999}",
        "city": "Demo City",
        "country": order.shipping_country.code,
    }


def _words(order: Order) -> str:
    return f"It does not fit. Order {order.number}."
