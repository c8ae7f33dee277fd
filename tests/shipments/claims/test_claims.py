"""Insurance claims: who may file, by when, with what evidence, and how the answers move a
claim until its payout is booked on the case's ledger (once)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shipments.claims.manual import ManualClaims
from shipments.errors import ClaimDeadlinePassed, ClaimRefused, InvalidClaimTransition
from shipments.models import IncidentReason, InsuranceClaim
from shipments.services.claims import (
    claim_days_left,
    claim_file,
    claim_filing_deadline,
    claim_update,
)
from shipments.services.lost import shipment_declare_lost
from shipments.verbs import Verb
from tests.shipments.factories import CarrierFactory, ShipmentFactory, TrackingEventFactory
from tests.tickets.factories import agent
from tickets.errors import TransitionRefused
from tickets.models import Case, Compensation
from tickets.services.messages import message_add
from tickets.services.transitions import case_transition

pytestmark = pytest.mark.django_db

SHIPPED = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
PROMISED = datetime.date(2026, 3, 6)


@pytest.fixture
def alice():
    return agent(username="alice")


@pytest.fixture
def lost(time_machine, alice):
    """An insured parcel promised for 6 March, with a 30-day claim window, declared lost."""
    time_machine.move_to("2026-03-20T12:00:00+00:00")
    carrier = CarrierFactory(code="dhl_express", claim_filing_days=30)
    shipment = ShipmentFactory(
        carrier=carrier,
        shipped_at=SHIPPED,
        promised_delivery_date=PROMISED,
        insured=True,
        insured_value=Decimal("80.00"),
        insured_currency="EUR",
    )
    TrackingEventFactory(shipment=shipment, occurred_at=SHIPPED, message="Picked up")
    shipment_declare_lost(shipment=shipment, actor=alice)
    return shipment


def test_the_deadline_counts_from_the_promised_date_else_from_shipping():
    carrier = CarrierFactory(code="ups", claim_filing_days=60)
    promised = ShipmentFactory.build(carrier=carrier, promised_delivery_date=PROMISED)
    assert claim_filing_deadline(promised) == datetime.date(2026, 5, 5)
    shipped = ShipmentFactory.build(
        carrier=carrier, promised_delivery_date=None, shipped_at=SHIPPED
    )
    assert claim_filing_deadline(shipped) == datetime.date(2026, 5, 1)
    assert claim_days_left(datetime.date(2026, 5, 1), today=datetime.date(2026, 4, 29)) == 2


def test_a_claim_is_filed_with_the_evidence(lost, alice, media_root):
    # given the customer sent a photo and a text file on the case
    files = [
        SimpleUploadedFile("box.png", b"png", content_type="image/png"),
        SimpleUploadedFile("note.txt", b"txt", content_type="text/plain"),
    ]
    message_add(
        case=lost.issue_case, body="Box", author_kind="customer", actor=None, attachments=files
    )
    # when the agent files the claim
    claim = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    # then it is submitted for the insured value, with the deadline and the evidence
    assert (claim.status, claim.provider, claim.case) == ("submitted", "manual", lost.issue_case)
    assert (claim.amount_requested, claim.currency) == (Decimal("80.00"), "EUR")
    assert claim.filing_deadline == datetime.date(2026, 4, 5)
    assert [event["message"] for event in claim.evidence["tracking"]] == ["Picked up"]
    assert claim.evidence["order"]["number"] == lost.order.number
    assert [photo["filename"] for photo in claim.evidence["photos"]] == ["box.png"]
    assert lost.issue_case.events.filter(verb=Verb.CLAIM_FILED).count() == 1


def test_the_order_total_is_claimed_where_the_order_was_insured(time_machine, alice):
    time_machine.move_to("2026-03-20T12:00:00+00:00")
    shipment = ShipmentFactory(
        order__insured=True, order__total=Decimal("54.90"), promised_delivery_date=PROMISED
    )
    shipment_declare_lost(shipment=shipment, actor=alice)
    claim = claim_file(shipment=shipment, actor=alice, adapter=ManualClaims())
    assert (claim.amount_requested, claim.currency) == (Decimal("54.90"), "EUR")


def test_a_damaged_parcel_may_be_claimed_too(time_machine, alice):
    time_machine.move_to("2026-03-20T12:00:00+00:00")
    shipment = ShipmentFactory(
        insured=True, incident_reason=IncidentReason.DAMAGED, promised_delivery_date=PROMISED
    )
    assert claim_file(shipment=shipment, actor=alice, adapter=ManualClaims()).pk


def test_an_uninsured_parcel_has_no_claim(time_machine, alice):
    time_machine.move_to("2026-03-20T12:00:00+00:00")
    shipment = ShipmentFactory(insured=False, promised_delivery_date=PROMISED)
    shipment_declare_lost(shipment=shipment, actor=alice)
    with pytest.raises(ClaimRefused, match="not insured"):
        claim_file(shipment=shipment, actor=alice, adapter=ManualClaims())
    assert not InsuranceClaim.objects.exists()


def test_a_parcel_on_its_way_has_no_claim(time_machine, alice):
    time_machine.move_to("2026-03-20T12:00:00+00:00")
    shipment = ShipmentFactory(insured=True, promised_delivery_date=PROMISED)
    with pytest.raises(ClaimRefused, match="lost or arrived damaged"):
        claim_file(shipment=shipment, actor=alice, adapter=ManualClaims())


def test_the_last_day_is_still_in_time_the_day_after_is_not(lost, alice, time_machine):
    time_machine.move_to("2026-04-05T23:00:00+00:00")
    assert claim_file(shipment=lost, actor=alice, adapter=ManualClaims()).pk
    InsuranceClaim.objects.all().delete()
    time_machine.move_to("2026-04-06T00:30:00+00:00")
    with pytest.raises(ClaimDeadlinePassed, match="has passed"):
        claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    assert not InsuranceClaim.objects.exists()


def test_one_claim_under_way_per_parcel_a_new_one_after_a_rejection(lost, alice):
    first = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    with pytest.raises(ClaimRefused, match="already has a claim"):
        claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    claim_update(claim=first, to="rejected", actor=alice, reason="No proof of value")
    assert claim_file(shipment=lost, actor=alice, adapter=ManualClaims()).pk != first.pk


def test_a_claim_walks_the_table_to_paid_and_the_payout_is_booked_once(lost, alice):
    claim = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    claim = claim_update(claim=claim, to="in_review", actor=alice, provider_reference="DHL-77")
    claim = claim_update(
        claim=claim, to="partially_approved", actor=alice, amount_approved=Decimal("60")
    )
    assert claim.decided_at is not None
    claim = claim_update(claim=claim, to="paid", actor=alice)
    # then the payout of 60 EUR is on the case's ledger, issued, as money recovered
    payout = claim.payout
    assert (payout.kind, payout.amount, payout.currency) == (
        Compensation.Kind.INSURANCE_PAYOUT,
        Decimal("60.000"),
        "EUR",
    )
    assert payout.case == lost.issue_case
    assert payout.status == Compensation.Status.ISSUED
    assert payout.external_reference == "DHL-77"
    assert "recovers" in payout.note
    # and paying again is refused, booking nothing more
    with pytest.raises(InvalidClaimTransition):
        claim_update(claim=claim, to="paid", actor=alice)
    assert Compensation.objects.filter(kind="insurance_payout").count() == 1
    assert lost.issue_case.events.filter(verb=Verb.CLAIM_UPDATED).count() == 3


def test_moves_outside_the_table_are_refused(lost, alice):
    claim = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    with pytest.raises(InvalidClaimTransition):
        claim_update(claim=claim, to="paid", actor=alice, amount_approved=Decimal("5"))
    with pytest.raises(InvalidClaimTransition):
        claim_update(claim=claim, to="bogus", actor=alice)
    claim.refresh_from_db()
    assert claim.status == "submitted"


def test_an_approval_takes_the_whole_claim_by_default(lost, alice):
    claim = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    claim = claim_update(claim=claim, to="approved", actor=alice)
    assert claim.amount_approved == Decimal("80.00")


def test_a_partial_approval_needs_an_amount_below_the_claim(lost, alice):
    claim = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    claim = claim_update(claim=claim, to="in_review", actor=alice)
    for amount in (None, Decimal("80"), Decimal("0")):
        with pytest.raises(ValidationError):
            claim_update(claim=claim, to="partially_approved", actor=alice, amount_approved=amount)


def test_a_rejection_says_why(lost, alice):
    claim = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    with pytest.raises(ValidationError):
        claim_update(claim=claim, to="rejected", actor=alice, reason="  ")
    claim = claim_update(claim=claim, to="rejected", actor=alice, reason="Late filing")
    assert (claim.status, claim.rejection_reason) == ("rejected", "Late filing")


def test_a_case_with_a_claim_under_way_is_not_closed_until_it_is_paid(lost, alice):
    claim = claim_file(shipment=lost, actor=alice, adapter=ManualClaims())
    case = Case.objects.get(pk=lost.issue_case_id)
    assert case.status == "open"  # declaring the parcel lost opened it
    case = case_transition(case=case, to="resolved", actor=alice)
    with pytest.raises(TransitionRefused, match="still under way"):
        case_transition(case=case, to="closed", actor=alice)
    claim = claim_update(claim=claim, to="approved", actor=alice)
    claim_update(claim=claim, to="paid", actor=alice)
    case.refresh_from_db()
    assert case_transition(case=case, to="closed", actor=alice).status == "closed"
