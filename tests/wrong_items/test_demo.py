"""seed_demo's wrong items: reports over several weeks and root causes, made once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import OrderLineFactory, agent, supervisor
from tickets.demo_seeders import DemoContext
from tickets.models import Macro
from wrong_items.demo import wrong_items_demo_seed
from wrong_items.models import RootCause, WrongItemReport

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_reports_across_weeks_and_causes_once(media_root):  # noqa: F811
    orders = {}
    # orders placed and shipped two months ago: a report may be dated any day since
    placed = timezone.now() - timedelta(days=60)
    for _ in range(16):
        line = OrderLineFactory(order__placed_at=placed)
        ShipmentFactory(order=line.order, shipped_at=placed + timedelta(days=1))
        orders[line.order.number] = line.order
    context = DemoContext(
        orders=orders,
        case_orders=frozenset(),
        agent=agent(username="demo-agent"),
        supervisor=supervisor(username="demo-sup"),
        now=timezone.now(),
        seed=7,
    )
    summary = wrong_items_demo_seed(context)
    assert summary.startswith("Demo wrong items: 14 reports")
    macro = Macro.objects.get(name="Wrong item: apology")
    assert macro.texts.count() == 5
    weeks = {r.created_at.isocalendar()[1] for r in WrongItemReport.objects.all()}
    assert len(weeks) >= 3
    assert RootCause.objects.values("category").distinct().count() >= 3
    assert (
        RootCause.objects.filter(report__case__status="closed").count() == RootCause.objects.count()
    )
    # and a second run changes nothing
    assert wrong_items_demo_seed(context) == ""
    assert WrongItemReport.objects.count() == 14
