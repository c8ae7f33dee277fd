"""Filing a claim and recording its answers from the workspace's shipment panel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from shipments.models import InsuranceClaim
from shipments.services.lost import shipment_declare_lost
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.tickets.factories import agent

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return agent(username="alice")


@pytest.fixture
def lost(time_machine, alice):
    time_machine.move_to("2026-03-20T12:00:00+00:00")
    shipment = ShipmentFactory(
        carrier=CarrierFactory(claim_filing_days=30),
        insured=True,
        insured_value=Decimal("80.00"),
        insured_currency="EUR",
        promised_delivery_date=datetime.date(2026, 3, 6),
    )
    shipment_declare_lost(shipment=shipment, actor=alice)
    return shipment


def _workspace(client, shipment):
    return client.get(reverse("tickets:agent-case", args=[shipment.issue_case.number]))


def test_the_panel_shows_the_deadline_and_the_claim_button(client, alice, lost):
    client.force_login(alice)
    body = _workspace(client, lost).content.decode()
    assert "(16 days left)" in body
    assert reverse("shipments:agent-shipment-claim", args=[lost.pk]) in body


def test_after_the_deadline_the_panel_says_so_and_filing_is_refused(
    client, alice, lost, time_machine
):
    time_machine.move_to("2026-04-07T12:00:00+00:00")
    client.force_login(alice)
    body = _workspace(client, lost).content.decode()
    assert "has passed" in body
    assert reverse("shipments:agent-shipment-claim", args=[lost.pk]) not in body
    response = client.post(reverse("shipments:agent-shipment-claim", args=[lost.pk]))
    assert response.status_code == 409
    assert "it has passed" in response.content.decode()
    assert not InsuranceClaim.objects.exists()


def test_an_agent_files_and_follows_a_claim_to_paid(client, alice, lost):
    client.force_login(alice)
    assert client.post(reverse("shipments:agent-shipment-claim", args=[lost.pk])).status_code == 303
    claim = InsuranceClaim.objects.get()
    answer = reverse("shipments:agent-claim-answer", args=[claim.pk])
    # bad answers are refused with nothing changed
    assert client.post(answer, {"status": "nonsense"}).status_code == 400
    assert client.post(answer, {"status": "approved", "amount_approved": "-3"}).status_code == 400
    assert client.post(answer, {"status": "rejected"}).status_code == 400
    assert client.post(answer, {"status": "paid", "amount_approved": "5"}).status_code == 409
    # the provider approves, then pays
    ok = client.post(answer, {"status": "approved", "provider_reference": "DHL-1"})
    assert ok.status_code == 303
    assert client.post(answer, {"status": "paid"}).status_code == 303
    claim.refresh_from_db()
    assert (claim.status, claim.provider_reference) == ("paid", "DHL-1")
    body = _workspace(client, lost).content.decode()
    assert "Payout of €80.00 booked on the ledger." in body
