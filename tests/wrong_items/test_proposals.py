"""A small order's report gets a proposal the moment it arrives: the customer's preference and a
discount code, waiting for one agent click (WRONG_ITEM_PROPOSE_BELOW)."""

from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.tickets.agent.workspace_urls import workspace_url
from tests.tickets.factories import OrderFactory, OrderLineFactory, agent
from tests.wrong_items.conftest import photos
from tests.wrong_items.test_discounts import FakeShopify
from tickets.models import Compensation, Notification
from wrong_items.discounts.shopify import ShopifyAdapter
from wrong_items.errors import DiscountPushFailed, ProposalNotWaiting
from wrong_items.models import DiscountCode, WrongItemReport
from wrong_items.services.actions import report_refund, report_reship
from wrong_items.services.discounts import discount_issue
from wrong_items.services.proposals import proposal_accept, proposal_dismiss
from wrong_items.services.reports import report_create
from wrong_items.verbs import Verb

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return agent(username="alice")


def _report(total="54.90", currency="EUR", preference="reship"):
    order = OrderFactory(total=Decimal(total), currency=currency)
    line = OrderLineFactory(order=order, sku="KET-RED", unit_price=Decimal("50.00"))
    ShipmentFactory(order=order)
    return report_create(
        order_line=line, received_description="A toaster", preference=preference, photos=photos()
    )


def test_a_small_orders_report_gets_a_proposal_from_the_system(report):
    assert (report.proposal, report.proposed_discount) == ("waiting", Decimal("10"))
    event = report.case.events.get(verb=Verb.PROPOSED)
    assert event.actor is None and event.data["by"] == "system"
    # Nothing is done before an agent accepts it.
    assert not Compensation.objects.filter(case=report.case).exists()


@pytest.mark.parametrize(
    ("total", "currency", "limit"),
    [
        ("150.00", "EUR", "150.00"),  # not below the limit
        ("20.00", "EUR", "0"),  # proposals turned off
        ("20.00", "CHF", "150.00"),  # no exchange rate to compare the total with
    ],
)
def test_no_proposal_at_or_above_the_limit_when_off_or_without_a_rate(total, currency, limit):
    with override_settings(WRONG_ITEM_PROPOSE_BELOW=Decimal(limit)):
        report = _report(total=total, currency=currency)
    assert report.proposal == ""
    assert not report.case.events.filter(verb=Verb.PROPOSED).exists()


def test_accepting_approves_the_reshipment_and_sends_the_code(report, alice):
    proposal_accept(report=report, actor=alice)
    report.refresh_from_db()
    assert report.proposal == "accepted"
    cost = Compensation.objects.get(case=report.case, kind="replacement")
    assert (cost.status, cost.amount) == ("approved", Decimal("50.000"))
    code = DiscountCode.objects.get(report=report)
    assert (code.value_type, code.value) == ("percentage", Decimal("10.00"))
    assert Notification.objects.filter(case=report.case, template="wrong_item_discount").exists()
    # The warehouse ships it: the tracking number joins the approved cost, no second cost.
    CarrierFactory()
    report_reship(report=report, carrier="dhl_express", tracking_number="JD9", actor=alice)
    assert Compensation.objects.filter(case=report.case, kind="replacement").count() == 1


def test_accepting_a_refund_preference_proposes_the_refund(alice):
    report = _report(preference="refund")
    proposal_accept(report=report, actor=alice)
    assert Compensation.objects.get(case=report.case, kind="refund").amount == Decimal("50.000")
    assert not Compensation.objects.filter(case=report.case, kind="replacement").exists()
    assert DiscountCode.objects.filter(report=report).count() == 1


def test_a_proposal_is_accepted_or_dismissed_once(report, alice):
    proposal_dismiss(report=report, actor=alice, reason="Out of stock, calling the customer")
    report.refresh_from_db()
    assert report.proposal == "dismissed"
    with pytest.raises(ProposalNotWaiting):
        proposal_accept(report=report, actor=alice)
    with pytest.raises(ProposalNotWaiting):
        proposal_dismiss(report=report, actor=alice)
    assert not DiscountCode.objects.exists()
    event = report.case.events.get(verb=Verb.PROPOSAL_DISMISSED)
    assert event.data["reason"] == "Out of stock, calling the customer"


@pytest.mark.parametrize("by_hand", ["reship", "refund", "discount"])
def test_acting_by_hand_sets_the_proposal_aside(report, alice, by_hand):
    CarrierFactory()
    if by_hand == "reship":
        report_reship(report=report, carrier="dhl_express", tracking_number="JD1", actor=alice)
    elif by_hand == "refund":
        report_refund(report=report, actor=alice)
    else:
        discount_issue(report=report, value_type="fixed", value=Decimal(5), actor=alice)
    report.refresh_from_db()
    assert report.proposal == "dismissed"
    event = report.case.events.get(verb=Verb.PROPOSAL_DISMISSED)
    assert event.data["reason"] == "The agent acted by hand."
    with pytest.raises(ProposalNotWaiting):
        proposal_accept(report=report, actor=alice)


def test_a_refused_step_stores_nothing_and_the_proposal_still_waits(report, alice, monkeypatch):
    # The shop refuses the code after the reshipment was approved: both are undone.
    monkeypatch.setattr(
        "wrong_items.services.discounts.discount_adapter",
        lambda: ShopifyAdapter(transport=FakeShopify(fail_code=True)),
    )
    with pytest.raises(DiscountPushFailed):
        proposal_accept(report=report, actor=alice)
    report.refresh_from_db()
    assert report.proposal == "waiting"
    assert not DiscountCode.objects.exists()
    assert not Compensation.objects.filter(case=report.case).exists()
    assert not report.case.events.filter(
        verb__in=(Verb.PROPOSAL_ACCEPTED, Verb.RESHIP_APPROVED)
    ).exists()


def test_a_refund_after_an_approved_reshipment_withdraws_it(report, alice):
    proposal_accept(report=report, actor=alice)
    report_refund(report=report, actor=alice)
    assert Compensation.objects.get(case=report.case, kind="replacement").status == "cancelled"
    assert Compensation.objects.get(case=report.case, kind="refund").status == "approved"


def test_the_panel_shows_the_proposal_and_accepts_it_in_one_click(agent_client, report):
    page = agent_client.get(workspace_url(report.case)).content.decode()
    assert "Proposed at once" in page
    assert "a 10 % discount code for the next order, emailed now." in page
    url = reverse("wrong_items:agent-proposal-accept", args=[report.pk])
    assert agent_client.post(url).status_code == 303
    page = agent_client.get(workspace_url(report.case)).content.decode()
    assert "Proposed at once" not in page
    assert "Express reshipment approved (Approved)" in page
    # A second click (another tab) is refused with the reason, nothing changed.
    response = agent_client.post(url)
    assert response.status_code == 409
    assert "There is no proposal waiting on this report (Accepted)." in response.content.decode()
    assert DiscountCode.objects.count() == 1


def test_the_api_accepts_and_dismisses(writer, alice):
    url = "/api/v1/wrong-item-reports/{}/proposal/{}/"
    first, second = _report(), _report()
    response = writer.post(url.format(first.pk, "accept"), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["proposal"] == "accepted"
    assert response.json()["discount_codes"][0]["value"] == "10.00"
    response = writer.post(url.format(second.pk, "dismiss"), {"reason": "x" * 501}, format="json")
    assert response.status_code == 400
    response = writer.post(url.format(second.pk, "dismiss"), {}, format="json")
    assert response.json()["proposal"] == "dismissed"
    response = writer.post(url.format(second.pk, "accept"), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "proposal_not_waiting"
    assert WrongItemReport.objects.get(pk=second.pk).proposal == "dismissed"
