"""seed_demo's returns: policies, and requests in every state (label out, received and waiting
for inspection, inspected, the refund waiting, paid and failed, waiting for an agent,
rejected); made once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from returns.demo_seed import returns_demo_seed
from returns.models import RefundTransaction, ReturnPolicy, ReturnRequest
from shipments.labels.models import Label
from tests.tickets.factories import OrderFactory, OrderLineFactory, agent, supervisor
from tickets.demo_seeders import DemoContext

pytestmark = pytest.mark.django_db


def context():
    now = timezone.now()
    orders = {}
    for number, country in (
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
    ):
        order = OrderFactory(
            number=number,
            shipping_country=country,
            placed_at=now - datetime.timedelta(days=3),
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
        "D-6": "inspected",
        "D-7": "resolved",
        "D-8": "resolved",
        "D-9": "resolved",
        "D-2": "requested",
        "D-3": "rejected",
    }
    # the approved ones' labels are there to download
    assert Label.objects.count() == 7
    assert "9 return requests" in line
    # the refunds: one for the agent to confirm, one paid, one to retry
    refunds = dict(RefundTransaction.objects.values_list("request__order__number", "status"))
    assert refunds == {"D-7": "pending", "D-8": "succeeded", "D-9": "failed"}

    # and a second run changes nothing
    assert returns_demo_seed(given) == ""
    assert ReturnRequest.objects.count() == 9 and ReturnPolicy.objects.count() == 2


def test_refunds_above_the_approval_limit_are_approved_by_the_demo_supervisor(settings):
    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("10")

    returns_demo_seed(context())

    refunds = dict(RefundTransaction.objects.values_list("request__order__number", "status"))
    assert refunds == {"D-7": "pending", "D-8": "succeeded", "D-9": "failed"}
