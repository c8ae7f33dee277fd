"""The agent's lost-parcel actions on the workspace panel, and the customer's choice page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shipments.models import Shipment, ShipmentStatus
from shipments.services.issue_cases import issue_case_for
from shipments.services.lost import lost_outcome_choose, shipment_declare_lost
from tests.shipments.factories import ShipmentFactory, TrackingEventFactory
from tests.tickets.factories import CustomerFactory, agent
from tests.tickets.portal.conftest import sign_in
from tickets.models import Compensation

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return agent(username="alice")


@pytest.fixture
def shipment():
    customer = CustomerFactory(language="en", email="maria@example.com")
    shipment = ShipmentFactory(order__customer=customer, order__total=Decimal("54.90"))
    TrackingEventFactory(shipment=shipment, message="Departed the hub in Leipzig")
    issue_case_for(shipment=shipment)
    return shipment


def _workspace(client, shipment):
    return client.get(reverse("tickets:agent-case", args=[shipment.issue_case.number]))


def test_the_panel_shows_tracking_and_offers_declare_lost(client, alice, shipment):
    client.force_login(alice)
    response = _workspace(client, shipment)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Departed the hub in Leipzig" in body
    assert shipment.tracking_number in body
    assert "Declare lost and ask maria@example.com" in body
    assert reverse("shipments:agent-shipment-declare-lost", args=[shipment.pk]) in body


def test_the_panel_costs_the_same_queries_with_more_events_and_a_replacement(
    client, alice, shipment, django_assert_max_num_queries
):
    client.force_login(alice)
    shipment_declare_lost(shipment=shipment, actor=alice)
    lost_outcome_choose(shipment=shipment, outcome="replacement", tracking_number="RP1")
    _workspace(client, shipment)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        _workspace(client, shipment)
    for _ in range(5):
        TrackingEventFactory(shipment=shipment)
    with django_assert_max_num_queries(len(few)):
        response = _workspace(client, shipment)
    assert "RP1" in response.content.decode()


def test_an_agent_declares_lost_from_the_panel(client, alice, shipment):
    client.force_login(alice)
    url = reverse("shipments:agent-shipment-declare-lost", args=[shipment.pk])
    response = client.post(url)
    assert response.status_code == 303
    assert response["Location"] == f"/agent/cases/{shipment.issue_case.number}/"
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.LOST
    # then the panel waits for the customer's choice and lets the agent decide
    body = _workspace(client, shipment).content.decode()
    assert "Waiting for the customer to choose" in body
    # and declaring it again is refused, saying why
    again = client.post(url)
    assert again.status_code == 409
    assert "already declared lost" in again.content.decode()


def test_an_agent_decides_for_the_customer_once(client, alice, shipment):
    client.force_login(alice)
    shipment_declare_lost(shipment=shipment, actor=alice)
    url = reverse("shipments:agent-shipment-outcome", args=[shipment.pk])
    assert client.post(url, {"outcome": "maybe"}).status_code == 400
    assert client.post(url, {"outcome": "refund"}).status_code == 303
    refund = Compensation.objects.get()
    assert (refund.kind, refund.proposed_by) == ("refund", alice)
    twice = client.post(url, {"outcome": "replacement"})
    assert twice.status_code == 409
    assert "already settled" in twice.content.decode()


def test_an_agent_ships_the_replacement(client, alice, shipment):
    client.force_login(alice)
    shipment_declare_lost(shipment=shipment, actor=alice)
    lost_outcome_choose(shipment=shipment, outcome="replacement")
    url = reverse("shipments:agent-shipment-replacement", args=[shipment.pk])
    assert client.post(url, {"tracking_number": ""}).status_code == 400
    assert client.post(url, {"tracking_number": "RP9", "carrier": "nope"}).status_code == 400
    assert client.post(url, {"tracking_number": "RP9"}).status_code == 303
    replacement = Shipment.objects.get(direction="replacement")
    assert replacement.case == shipment.issue_case
    assert "RP9" in _workspace(client, shipment).content.decode()


def test_a_get_on_an_action_is_refused(client, alice, shipment):
    client.force_login(alice)
    url = reverse("shipments:agent-shipment-declare-lost", args=[shipment.pk])
    assert client.get(url).status_code == 405


def test_someone_signed_out_is_sent_to_sign_in(client, shipment):
    url = reverse("shipments:agent-shipment-declare-lost", args=[shipment.pk])
    assert client.post(url).status_code == 302
    shipment.refresh_from_db()
    assert shipment.declared_lost_at is None


# --- the customer's choice ---


def _choice_url(shipment):
    return reverse("shipments:portal-lost-choice", args=[shipment.pk])


def test_the_customer_chooses_a_replacement_in_the_portal(client, alice, shipment):
    shipment_declare_lost(shipment=shipment, actor=alice)
    sign_in(client, shipment.order.customer)
    # the case page leads to the choice
    case_page = client.get(reverse("tickets:portal-case", args=[shipment.issue_case.number]))
    assert f'href="{_choice_url(shipment)}" role="button"' in case_page.content.decode()
    page = client.get(_choice_url(shipment))
    assert page.status_code == 200
    assert "Refund or replacement?" in page.content.decode()
    response = client.post(_choice_url(shipment), {"outcome": "replacement"})
    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.lost_outcome == "replacement"
    after = client.get(_choice_url(shipment)).content.decode()
    assert "You chose a replacement" in after
    assert "We are sending your order again by express." in after
    # and a second choice is refused, saying what was chosen
    again = client.post(_choice_url(shipment), {"outcome": "refund"})
    assert again.status_code == 409
    assert "already settled: Replacement" in again.content.decode()
    assert Compensation.objects.count() == 1


def test_the_choice_page_refuses_an_empty_choice(client, alice, shipment):
    shipment_declare_lost(shipment=shipment, actor=alice)
    sign_in(client, shipment.order.customer)
    response = client.post(_choice_url(shipment), {})
    assert response.status_code == 400
    assert "Choose a refund or a replacement." in response.content.decode()


def test_no_choice_page_before_the_parcel_is_declared_lost(client, shipment):
    sign_in(client, shipment.order.customer)
    assert client.get(_choice_url(shipment)).status_code == 404


def test_the_choice_page_asks_a_signed_out_customer_to_sign_in(client, alice, shipment):
    shipment_declare_lost(shipment=shipment, actor=alice)
    response = client.get(_choice_url(shipment))
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/?")


# --- a tracking event added by hand ---


def test_an_agent_adds_a_tracking_event_through_the_intake(client, alice, shipment):
    client.force_login(alice)
    url = reverse("shipments:agent-shipment-event", args=[shipment.pk])
    data = {
        "occurred_at": "2020-01-01T10:00",
        "status": "customs_hold",
        "message": "Carrier on the phone: held in customs",
        "location": "Zurich",
    }
    assert client.post(url, {**data, "status": "teleported"}).status_code == 400
    assert client.post(url, {**data, "occurred_at": "yesterday"}).status_code == 400
    assert client.post(url, {**data, "occurred_at": "2999-01-01T10:00"}).status_code == 400
    assert client.post(url, data).status_code == 303
    event = shipment.events.get(source="agent")
    assert (event.status, event.location) == ("customs_hold", "Zurich")
    assert shipment.issue_case.events.filter(verb="shipments.manual_event").count() == 1
    # the same event twice is stored once
    assert client.post(url, data).status_code == 303
    assert shipment.events.filter(source="agent").count() == 1
    body = _workspace(client, shipment).content.decode()
    assert "Carrier on the phone: held in customs" in body
