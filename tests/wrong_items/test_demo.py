"""seed_demo's wrong items: reports over several weeks and root causes, made once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shipments.models import Shipment, ShipmentStatus
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import OrderLineFactory, agent, supervisor
from tickets.demo_seeders import DemoContext
from tickets.models import Case, Compensation, Macro
from wrong_items.demo import LOOKALIKES, wrong_items_demo_seed
from wrong_items.models import RootCause, WrongItemReport
from wrong_items.verbs import Verb

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(media_root) -> DemoContext:  # noqa: F811
    orders = {}
    # orders placed and shipped two months ago: a report may be dated any day since
    placed = timezone.now() - timedelta(days=60)
    for _ in range(16):
        line = OrderLineFactory(order__placed_at=placed)
        ShipmentFactory(order=line.order, shipped_at=placed + timedelta(days=1))
        orders[line.order.number] = line.order
    return DemoContext(
        orders=orders,
        case_orders=frozenset(),
        agent=agent(username="demo-agent"),
        supervisor=supervisor(username="demo-sup"),
        now=timezone.now(),
        seed=7,
    )


def test_the_demo_seeds_reports_across_weeks_and_causes_once(context):
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
    # a closed case's money is settled: no approval is left waiting on it
    closed = Compensation.objects.filter(case__status="closed")
    assert closed.exists()
    assert set(closed.values_list("status", flat=True)) <= {"issued", "rejected", "cancelled"}
    # and a second run changes nothing
    assert wrong_items_demo_seed(context) == ""
    assert WrongItemReport.objects.count() == 14


def test_the_customer_says_what_arrived_in_their_language(context):
    for order in context.orders.values():
        order.customer.language = "de"
        order.customer.save(update_fields=["language"])
    wrong_items_demo_seed(context)
    said = set(WrongItemReport.objects.values_list("received_description", flat=True))
    german = {words[1] for words, _sku in LOOKALIKES}
    assert said and said <= german


def test_a_report_dated_back_takes_its_case_s_history_along(context):
    """The customer's report is dated with the case, and the agents' work on it (emails,
    compensations, events, closing) hours later, never after the demo's now: the workspace's
    timeline and the reports' handling times read as a real case's would."""
    wrong_items_demo_seed(context)
    backdated = 0
    for case in Case.objects.filter(wrong_item_report__isnull=False):
        reported = case.messages.get(author_kind="customer").created_at
        assert reported - case.created_at < timedelta(minutes=1)
        case_times = [case.updated_at, case.first_responded_at, case.resolved_at, case.closed_at]
        times = [
            *case.events.values_list("created_at", flat=True),
            *case.notifications.values_list("created_at", flat=True),
            *case.compensations.values_list("created_at", flat=True),
            *(at for at in case_times if at is not None),
        ]
        assert all(case.created_at <= at < case.created_at + timedelta(hours=21) for at in times)
        if case.created_at < context.now - timedelta(days=1):
            backdated += 1
            assert all(at < context.now for at in times)
        if case.closed_at is not None:
            assert case.closed_at - case.created_at > timedelta(hours=2)
    assert backdated >= 10


def test_a_replacement_leaves_when_reshipped_and_a_closed_case_s_has_arrived(context):
    """The right item's parcel is dated with its case's reshipment and tracked since: a case
    closed days ago never shows its replacement still waiting at the depot."""
    wrong_items_demo_seed(context)
    replacements = Shipment.objects.filter(
        case__wrong_item_report__isnull=False, direction=Shipment.Direction.REPLACEMENT
    ).select_related("case")
    assert replacements.count() >= 5
    for parcel in replacements:
        reshipped = parcel.case.events.get(verb=Verb.RESHIPPED).created_at
        assert parcel.shipped_at == reshipped
        if parcel.case.status == Case.Status.CLOSED:
            assert parcel.status == ShipmentStatus.DELIVERED
            assert parcel.events.filter(status=ShipmentStatus.DELIVERED).get().occurred_at < (
                context.now
            )


def test_a_report_on_a_parcel_shipped_yesterday_stays_open(context):
    """Its case cannot be dated back past the parcel, so it is a recent one, not closed."""
    now = context.now
    for order in context.orders.values():
        order.placed_at = now - timedelta(days=2)
        order.save()
        order.shipments.update(shipped_at=now - timedelta(days=1))

    wrong_items_demo_seed(context)

    reports = WrongItemReport.objects.select_related("case")
    assert reports.exists()
    assert not reports.filter(case__status=Case.Status.CLOSED).exists()
    assert not RootCause.objects.exists()
