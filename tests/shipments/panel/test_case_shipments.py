"""The workspace panel's read of a case's shipments (shipments.selectors.lost)."""

import pytest
from django.utils import timezone

from shipments.models import Finding
from shipments.selectors.lost import case_shipment_panels
from shipments.services.issue_cases import issue_case_for
from tests.shipments.factories import ShipmentFactory, TrackingEventFactory
from tickets.models import Case

pytestmark = pytest.mark.django_db


def test_the_case_s_own_order_is_not_read_again(django_assert_num_queries):
    # given a shipment-issue case, read as the workspace reads it (with its order)
    shipment = ShipmentFactory(order__insured=True)
    TrackingEventFactory(shipment=shipment)
    issue_case_for(shipment=shipment)
    case = Case.objects.select_related("customer", "order").get(pk=shipment.issue_case_id)

    # when the panel reads its shipments: the shipments, their events, findings and claims
    with django_assert_num_queries(4):
        (panel,) = case_shipment_panels(case=case)

    # then the shipment holds the case's order itself, insured as the order says
    assert panel.shipment.order is case.order
    assert panel.insured
    assert len(panel.events) == 1


def test_an_uninsured_shipment_s_claims_are_not_read(django_assert_num_queries):
    # given a shipment-issue case whose parcel and order are not insured
    shipment = ShipmentFactory(order__insured=False, insured=False)
    issue_case_for(shipment=shipment)
    case = Case.objects.select_related("customer", "order").get(pk=shipment.issue_case_id)

    # when the panel reads its shipments: the shipments, their events and findings only
    with django_assert_num_queries(3):
        (panel,) = case_shipment_panels(case=case)

    # then it offers nothing of insurance
    assert (panel.insured, panel.claims, panel.can_file_claim) == (False, [], False)


def test_a_shipment_of_another_order_still_has_its_own():
    # given a case whose shipment belongs to another order (nothing in the data forbids it)
    shipment = ShipmentFactory()
    issue_case_for(shipment=shipment)
    other = ShipmentFactory()
    Case.objects.filter(pk=shipment.issue_case_id).update(order=other.order)
    case = Case.objects.select_related("order").get(pk=shipment.issue_case_id)

    # when the panel reads it, then the shipment's order is its own
    (panel,) = case_shipment_panels(case=case)
    assert panel.shipment.order == shipment.order != case.order


def test_a_cleared_finding_says_cleared_in_the_agent_s_language(client, agent_user):
    # given a case whose parcel's stall was found and then cleared
    shipment = ShipmentFactory()
    issue_case_for(shipment=shipment)
    Finding.objects.create(
        rule=Finding.Rule.STALLED,
        order=shipment.order,
        shipment=shipment,
        case_id=shipment.issue_case_id,
        cleared_at=timezone.now(),
    )
    number = Case.objects.get(pk=shipment.issue_case_id).number
    client.force_login(agent_user)

    # when a German agent opens it, then the finding reads "aufgehoben", not "cleared on"
    page = client.get(f"/agent/cases/{number}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<span class="muted">aufgehoben</span>' in page
    assert "Aufgehoben am" not in page
