"""Acting at once: the right item by express, or a refund; the wrong item kept or returned."""

from decimal import Decimal

import pytest
from django.test import override_settings

from shipments.models import Shipment
from shipments.services.shipments import ShipmentInvalid
from tests.tickets.factories import agent, supervisor
from tickets.models import Compensation, Notification
from tickets.services.compensations import compensation_approve
from wrong_items.errors import AlreadyRefunded, AlreadyReshipped, OutcomeAlreadySet
from wrong_items.services.actions import (
    item_keep,
    item_return,
    keep_suggested,
    report_refund,
    report_reship,
    reship_approve,
)
from wrong_items.verbs import Verb

pytestmark = pytest.mark.django_db

ADDRESS = {
    "name": "Claire Martin",
    "line1": "12 rue de la Paix",
    "city": "Paris",
    "postcode": "75002",
    "country": "FR",
}


@pytest.fixture
def alice():
    return agent(username="alice")


def test_reshipping_makes_an_expedited_replacement_on_the_case_and_tells_the_customer(
    report, alice
):
    shipment = report_reship(
        report=report, carrier="dhl_express", tracking_number=" JD0001 ", actor=alice
    )
    assert (shipment.direction, shipment.service_level, shipment.case, shipment.order) == (
        Shipment.Direction.REPLACEMENT,
        Shipment.ServiceLevel.EXPEDITED,
        report.case,
        report.order,
    )
    assert shipment.tracking_number == "JD0001"
    cost = Compensation.objects.get(case=report.case, kind="replacement")
    assert cost.amount == Decimal("50.000")
    # The parcel is what the compensation pays for: it went out, so it leaves the queue.
    assert (cost.status, cost.external_reference) == (Compensation.Status.ISSUED, "JD0001")
    assert report.case.events.filter(verb=Verb.RESHIPPED).count() == 1
    email = Notification.objects.get(
        case=report.case, template="shipment_replacement_shipped", channel="email"
    )
    assert "JD0001" in email.body


def test_a_reshipment_approved_before_it_ships_is_issued_when_it_ships(report, alice):
    approved = reship_approve(report=report, actor=alice)
    assert approved.status == Compensation.Status.APPROVED

    report_reship(report=report, carrier="dhl_express", tracking_number="JD0002", actor=alice)

    approved.refresh_from_db()
    assert (approved.status, approved.external_reference) == (
        Compensation.Status.ISSUED,
        "JD0002",
    )
    assert Compensation.objects.filter(case=report.case).count() == 1


@override_settings(COMPENSATION_APPROVAL_THRESHOLD=Decimal("10"))
def test_a_reshipment_above_the_limit_waits_for_the_supervisor_then_is_issued(report, alice):
    report_reship(report=report, carrier="dhl_express", tracking_number="JD0003", actor=alice)
    cost = Compensation.objects.get(case=report.case, kind="replacement")
    assert cost.status == Compensation.Status.PROPOSED

    cost = compensation_approve(compensation=cost, actor=supervisor(username="sam"))

    assert (cost.status, cost.external_reference) == (Compensation.Status.ISSUED, "JD0003")


def test_a_second_reshipment_or_a_refund_after_it_is_refused(report, alice):
    report_reship(report=report, carrier="dhl_express", tracking_number="JD0001", actor=alice)
    with pytest.raises(AlreadyReshipped, match="JD0001"):
        report_reship(report=report, carrier="dhl_express", tracking_number="JD0002", actor=alice)
    with pytest.raises(AlreadyReshipped):
        report_refund(report=report, actor=alice)
    assert Shipment.objects.filter(direction="replacement").count() == 1


def test_a_reshipment_without_a_tracking_number_stores_nothing(report, alice):
    with pytest.raises(ShipmentInvalid):
        report_reship(report=report, carrier="dhl_express", tracking_number="  ", actor=alice)
    assert not Compensation.objects.filter(case=report.case).exists()


def test_a_refund_instead_records_the_lines_value_once(report, alice):
    refund = report_refund(report=report, actor=alice)
    assert (refund.kind, refund.amount, refund.currency) == ("refund", Decimal("50.000"), "EUR")
    with pytest.raises(AlreadyRefunded):
        report_refund(report=report, actor=alice)
    with pytest.raises(AlreadyRefunded):
        report_reship(report=report, carrier="dhl_express", tracking_number="JD9", actor=alice)


def test_keeping_is_suggested_under_the_threshold(report):
    with override_settings(WRONG_ITEM_KEEP_THRESHOLD=Decimal("60")):
        assert keep_suggested(report)
    with override_settings(WRONG_ITEM_KEEP_THRESHOLD=Decimal("50")):
        assert not keep_suggested(report)


def test_keep_then_return_is_refused(report, alice):
    report = item_keep(report=report, actor=alice)
    assert report.item_outcome == "keep"
    with pytest.raises(OutcomeAlreadySet):
        item_return(report=report, customer_address=ADDRESS, actor=alice)


def test_returning_issues_a_prepaid_label_and_emails_it(report, alice):
    label = item_return(report=report, customer_address=ADDRESS, actor=alice)
    assert label.reference == report.case.number
    assert label.shipment.direction == "return"
    assert label.shipment.case == report.case
    report.refresh_from_db()
    assert report.item_outcome == "return"
    assert Notification.objects.filter(case=report.case, template="return_label").exists()


def test_a_return_with_an_incomplete_address_stores_nothing(report, alice):
    from shipments.labels.services import LabelInvalid

    with pytest.raises(LabelInvalid):
        item_return(report=report, customer_address={**ADDRESS, "city": ""}, actor=alice)
    report.refresh_from_db()
    assert report.item_outcome == ""
    assert not Shipment.objects.filter(direction="return").exists()
