"""The customer's case page and messages show the replacement's tracking and the discount code;
the supervisors' reports count wrong items, causes, SKU pairs, warehouses, costs and actions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.tickets.factories import agent
from tests.tickets.portal.conftest import sign_in
from tickets.models import Notification
from tickets.scenarios import scenario_reports
from wrong_items.services.actions import report_reship
from wrong_items.services.discounts import discount_issue
from wrong_items.services.root_causes import preventive_action_create, root_cause_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked(report):
    alice = agent(username="alice")
    CarrierFactory()
    shipment = report_reship(
        report=report, carrier="dhl_express", tracking_number="JD555", actor=alice
    )
    discount = discount_issue(report=report, value_type="fixed", value=Decimal("10"), actor=alice)
    return report, shipment, discount


def test_the_portal_case_page_shows_the_tracking_and_the_code(client, worked):
    report, shipment, discount = worked
    sign_in(client, report.case.customer)
    page = client.get(f"/portal/cases/{report.case.number}/").content.decode()
    assert "JD555" in page
    assert discount.code in page
    assert shipment.tracking_link in page


def test_messages_after_the_reshipment_carry_the_tracking_link(worked):
    report, shipment, _discount = worked
    email = Notification.objects.get(
        case=report.case, template="wrong_item_discount", channel="email"
    )
    assert shipment.tracking_link in email.body


def _table(slug, first, last):
    report = next(r for r in scenario_reports() if r.slug == slug)
    return report.rows(first, last)


def test_the_reports_count_the_incident(worked):
    report, _shipment, _discount = worked
    alice = agent(username="sam")
    cause = root_cause_set(report=report, category="picking", warehouse="Leipzig", actor=alice)
    preventive_action_create(
        root_causes=[cause],
        description="Scan at packing",
        owner="Lea",
        due_date=timezone.localdate() - timedelta(days=1),
        actor=alice,
    )
    # a second shipped order without a wrong item: the rate is 1 of 2 orders
    ShipmentFactory()
    today = timezone.localdate()
    first, last = today - timedelta(days=13), today
    rate = _table("wrong-item-rate", first, last)
    assert [row.values[0] for row in rate.rows if row.values[0] is not None] == [50.0]
    causes = _table("wrong-item-causes", first, last)
    assert sum(row.values[0] for row in causes.rows) == 1  # picking is the first series
    pairs = _table("wrong-item-pairs", first, last)
    assert [(row.label, row.values) for row in pairs.rows] == [("KET-RED → TOA-BLUE", (1,))]
    warehouses = _table("wrong-item-warehouses", first, last)
    assert [(row.x, row.values) for row in warehouses.rows] == [("Leipzig", (1, 1))]
    costs = _table("wrong-item-costs", first, last)
    assert [(row.x, row.values) for row in costs.rows] == [(report.case.number, (50.0, 10.0, 0.0))]
    actions = _table("wrong-item-actions", first, last)
    assert [row.values[0] for row in actions.rows] == [1, 1, 0]


def test_the_reports_page_draws_them(client, worked):
    from tests.tickets.factories import supervisor

    client.force_login(supervisor(username="sue"))
    response = client.get("/agent/reports/")
    assert response.status_code == 200
    assert "Most confused SKU pairs" in response.content.decode()
