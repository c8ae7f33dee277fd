"""seed_demo's returns: policies, and requests in every state (label out, received and waiting
for inspection, inspected, the refund waiting, paid and failed, waiting for an agent,
rejected), and defect claims; made once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from returns.demo_seed import DELIVERY, returns_demo_seed
from returns.models import RefundTransaction, ReturnPolicy, ReturnRequest
from shipments.labels.models import Label
from tests.tickets.factories import OrderFactory, OrderLineFactory, agent, supervisor
from tickets.demo_seeders import DemoContext

pytestmark = pytest.mark.django_db


def context(placed_days_ago=lambda index: 12):
    now = timezone.now()
    orders = {}
    for index, (number, country) in enumerate(
        (
            ("D-1", "DE"),
            ("D-2", "US"),
            ("D-3", "JP"),
            ("D-4", "DE"),
            ("D-5", "DE"),
            ("D-6", "DE"),
            ("D-7", "DE"),
            ("D-8", "DE"),
            ("D-9", "DE"),
            ("D-10", "FR"),
            ("D-90", "DE"),
            ("D-91", "DE"),
        )
    ):
        order = OrderFactory(
            number=number,
            shipping_country=country,
            placed_at=now - datetime.timedelta(days=placed_days_ago(index)),
        )
        OrderLineFactory(order=order, unit_price=Decimal("40.00"))
        orders[number] = order
    return DemoContext(
        orders=orders,
        case_orders=frozenset({"D-4"}),
        agent=agent(username="demo-agent"),
        supervisor=supervisor(username="demo-super"),
        now=now,
        seed=1,
    )


def test_the_demo_has_policies_and_a_request_in_each_state():
    given = context()

    line = returns_demo_seed(given)

    assert ReturnPolicy.objects.count() == 2
    statuses = dict(ReturnRequest.objects.values_list("order__number", "status"))
    assert statuses == {
        "D-1": "label_issued",
        "D-10": "received",  # France: the rest of the world's policy, approved by an agent
        "D-5": "received",
        "D-6": "received",  # a defect, for an agent to confirm the fault
        "D-7": "inspected",
        "D-8": "resolved",  # a defect, replaced
        "D-9": "resolved",
        "D-90": "resolved",
        "D-91": "resolved",
        "D-2": "requested",
        "D-3": "rejected",
    }
    defects = ReturnRequest.objects.filter(kind="defect").order_by("order__number")
    assert [request.order.number for request in defects] == ["D-6", "D-8"]
    assert all(request.photos.count() == 1 for request in defects)
    replaced = defects.get(order__number="D-8")
    assert (replaced.resolution, replaced.compensation.kind) == ("replacement", "replacement")
    assert replaced.lines.get().defect_confirmed is True
    # the approved ones' labels are there to download
    assert Label.objects.count() == 9
    assert "11 return requests" in line
    # the refunds: one for the agent to confirm, one paid, one to retry
    refunds = dict(RefundTransaction.objects.values_list("request__order__number", "status"))
    assert refunds == {"D-9": "pending", "D-90": "succeeded", "D-91": "failed"}

    # and a second run changes nothing
    assert returns_demo_seed(given) == ""
    assert ReturnRequest.objects.count() == 11 and ReturnPolicy.objects.count() == 2


def test_refunds_above_the_approval_limit_are_approved_by_the_demo_supervisor(settings):
    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("10")

    returns_demo_seed(context())

    refunds = dict(RefundTransaction.objects.values_list("request__order__number", "status"))
    assert refunds == {"D-9": "pending", "D-90": "succeeded", "D-91": "failed"}


def test_each_request_is_dated_back_step_by_step_after_its_order_arrived():
    # given orders placed 19 down to 10 days ago, none with a parcel: each arrived 4 days later
    given = context(placed_days_ago=lambda index: 19 - index)

    returns_demo_seed(given)

    requests = ReturnRequest.objects.select_related("case", "order").order_by("created_at")
    assert len(requests) == 11
    for request in requests:
        case = request.case
        # opened once the order had arrived, the case with it, every step in its order
        assert request.order.placed_at + DELIVERY < case.created_at
        assert abs(request.created_at - case.created_at) < datetime.timedelta(minutes=1)
        steps = [
            request.created_at,
            request.decided_at,
            request.received_at,
            request.inspected_at,
            request.refunded_at,
            given.now,
        ]
        steps = [step for step in steps if step is not None]
        assert steps == sorted(steps), request.status
        # the customer's words at the opening, and all the case's history after it
        first = case.messages.order_by("created_at").first()
        assert abs(first.created_at - case.created_at) < datetime.timedelta(minutes=1)
        for moment in (
            *case.events.values_list("created_at", flat=True),
            *case.messages.values_list("created_at", flat=True),
            case.updated_at,
        ):
            assert case.created_at <= moment <= given.now
        # the label made when the request was approved, the parcel scanned after it
        label = Label.objects.filter(reference=request.rma).select_related("shipment").first()
        if label is not None:
            assert abs(label.created_at - request.decided_at) < datetime.timedelta(minutes=1)
            scans = label.shipment.events.values_list("occurred_at", flat=True)
            assert all(label.created_at < scan <= request.received_at for scan in scans)
        for refund in request.refund_transactions.all():
            assert request.inspected_at < refund.created_at <= (refund.completed_at or given.now)
    # spread over the past days: the paid refund opened longest ago, its parcel back days
    # before the refund
    paid = requests.get(refund_transactions__status="succeeded")
    assert paid.created_at < given.now - datetime.timedelta(days=7)
    assert paid.refunded_at - paid.received_at >= datetime.timedelta(days=2)
    assert len({request.created_at.date() for request in requests}) >= 6


def test_an_order_still_on_its_way_is_not_returned():
    given = context(placed_days_ago=lambda index: 2 if index == 0 else 12)

    returns_demo_seed(given)

    assert not ReturnRequest.objects.filter(order__number="D-1").exists()
    assert ReturnRequest.objects.count() == 10
