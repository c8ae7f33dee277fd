"""Declare lost, then the one choice of refund or replacement, then the replacement shipment."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from shipments.errors import (
    AlreadyDeclaredLost,
    AlreadyDelivered,
    NotDeclaredLost,
    OutcomeAlreadyChosen,
    ReplacementAlreadyShipped,
    ReplacementNotChosen,
)
from shipments.models import Finding, Shipment, ShipmentStatus
from shipments.services.issue_cases import issue_case_for
from shipments.services.lost import (
    lost_outcome_choose,
    replacement_of,
    replacement_ship,
    shipment_declare_lost,
)
from shipments.signals import status_changed
from shipments.verbs import Verb
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.tickets.factories import agent
from tickets.models import Case, Compensation, Notification
from tickets.services.transitions import case_transition_by_system

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return agent(username="alice")


@pytest.fixture
def shipment():
    return ShipmentFactory(order__total=Decimal("54.90"), order__currency="EUR")


def test_declaring_lost_opens_the_one_case_records_a_finding_and_asks_the_customer(shipment, alice):
    # when an agent declares the parcel lost
    case = shipment_declare_lost(shipment=shipment, actor=alice)
    # then the shipment is lost, on its one case, with an agent's presumed-lost finding
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.LOST
    assert shipment.declared_lost_at is not None
    assert shipment.issue_case == case
    assert shipment.check_at is None
    finding = Finding.objects.get(shipment=shipment)
    assert (finding.rule, finding.data, finding.case) == (
        "presumed_lost",
        {"source": "agent"},
        case,
    )
    assert case.events.filter(verb=Verb.DECLARED_LOST, actor=alice).count() == 1
    # and the customer is told, with a link to the choice page
    email = Notification.objects.get(case=case, template="shipment_lost", channel="email")
    assert f"/portal/shipments/{shipment.pk}/lost/" in email.body


def test_declaring_lost_tells_the_status_listeners(shipment, alice):
    heard = []

    def listener(sender, changes, **kwargs):
        heard.extend(changes)

    previous = shipment.status
    status_changed.connect(listener)
    try:
        shipment_declare_lost(shipment=shipment, actor=alice)
    finally:
        status_changed.disconnect(listener)
    assert [(c.shipment_id, c.previous, c.status) for c in heard] == [
        (shipment.pk, previous, ShipmentStatus.LOST)
    ]


def test_declaring_lost_keeps_an_open_finding_and_the_existing_case(shipment, alice):
    # given detection found it presumed lost already, on its case
    case, _opened = issue_case_for(shipment=shipment)
    Finding.objects.create(
        rule=Finding.Rule.PRESUMED_LOST, order=shipment.order, shipment=shipment, case=case
    )
    # when the agent declares it lost
    declared_on = shipment_declare_lost(shipment=shipment, actor=alice)
    # then the same case is used and no second finding recorded
    assert declared_on == case
    assert Finding.objects.filter(shipment=shipment).count() == 1


def test_declaring_lost_twice_is_refused(shipment, alice):
    shipment_declare_lost(shipment=shipment, actor=alice)
    with pytest.raises(AlreadyDeclaredLost):
        shipment_declare_lost(shipment=shipment, actor=alice)


def test_a_delivered_parcel_cannot_be_declared_lost(alice):
    shipment = ShipmentFactory(status=ShipmentStatus.DELIVERED)
    with pytest.raises(AlreadyDelivered):
        shipment_declare_lost(shipment=shipment, actor=alice)
    shipment.refresh_from_db()
    assert shipment.declared_lost_at is None


def test_the_customer_chooses_a_refund_of_the_order_value(shipment, alice):
    case = shipment_declare_lost(shipment=shipment, actor=alice)
    # when the customer chooses a refund in the portal
    compensation = lost_outcome_choose(shipment=shipment, outcome="refund")
    # then a refund of the order's total is on the case's ledger, approved (within the limit)
    assert (compensation.case, compensation.kind) == (case, Compensation.Kind.REFUND)
    assert (compensation.amount, compensation.currency) == (Decimal("54.900"), "EUR")
    assert compensation.status == Compensation.Status.APPROVED
    shipment.refresh_from_db()
    assert shipment.lost_outcome == "refund"
    event = case.events.get(verb=Verb.OUTCOME_CHOSEN)
    assert (event.actor, event.data["outcome"], event.data["by"]) == (None, "refund", "customer")
    assert Notification.objects.filter(case=case, template="shipment_lost_outcome").exists()
    assert replacement_of(shipment) is None


def test_choosing_twice_is_refused_whoever_chooses(shipment, alice):
    shipment_declare_lost(shipment=shipment, actor=alice)
    lost_outcome_choose(shipment=shipment, outcome="replacement")
    with pytest.raises(OutcomeAlreadyChosen, match="Replacement"):
        lost_outcome_choose(shipment=shipment, outcome="refund", actor=alice)
    assert Compensation.objects.count() == 1


def test_nothing_to_choose_before_the_parcel_is_declared_lost(shipment):
    with pytest.raises(NotDeclaredLost):
        lost_outcome_choose(shipment=shipment, outcome="refund")


def test_an_unknown_outcome_is_refused(shipment, alice):
    shipment_declare_lost(shipment=shipment, actor=alice)
    with pytest.raises(ValueError, match="Unknown outcome"):
        lost_outcome_choose(shipment=shipment, outcome="both")


def test_a_replacement_ships_expedited_on_the_same_case(shipment, alice):
    case = shipment_declare_lost(shipment=shipment, actor=alice)
    compensation = lost_outcome_choose(shipment=shipment, outcome="replacement")
    assert compensation.kind == Compensation.Kind.REPLACEMENT
    # when the warehouse ships it and the agent enters its number
    replacement = replacement_ship(shipment=shipment, tracking_number=" RP123 ", actor=alice)
    # then it is an expedited replacement shipment made for the same case
    assert replacement.direction == Shipment.Direction.REPLACEMENT
    assert replacement.service_level == Shipment.ServiceLevel.EXPEDITED
    assert (replacement.case, replacement.carrier, replacement.tracking_number) == (
        case,
        shipment.carrier,
        "RP123",
    )
    assert replacement_of(shipment) == replacement
    assert case.events.filter(verb=Verb.REPLACEMENT_SHIPPED).count() == 1
    email = Notification.objects.get(template="shipment_replacement_shipped", channel="email")
    assert "RP123" in email.body
    # and its approved cost went out with it, the tracking number as its reference
    compensation.refresh_from_db()
    assert (compensation.status, compensation.external_reference) == (
        Compensation.Status.ISSUED,
        "RP123",
    )
    # and a second one is refused
    with pytest.raises(ReplacementAlreadyShipped):
        replacement_ship(shipment=shipment, tracking_number="RP124", actor=alice)


def test_an_agent_choosing_a_replacement_with_its_number_ships_it_at_once(shipment, alice):
    shipment_declare_lost(shipment=shipment, actor=alice)
    other = CarrierFactory(code="ups", name="UPS")
    lost_outcome_choose(
        shipment=shipment, outcome="replacement", actor=alice, tracking_number="1Z9", carrier=other
    )
    replacement = replacement_of(shipment)
    assert replacement is not None
    assert (replacement.carrier, replacement.tracking_number) == (other, "1Z9")


def test_no_replacement_ships_for_a_refund(shipment, alice):
    shipment_declare_lost(shipment=shipment, actor=alice)
    lost_outcome_choose(shipment=shipment, outcome="refund")
    with pytest.raises(ReplacementNotChosen):
        replacement_ship(shipment=shipment, tracking_number="RP1", actor=alice)


def test_a_replacement_number_the_carrier_already_has_is_refused(shipment, alice):
    taken = ShipmentFactory(carrier=shipment.carrier)
    shipment_declare_lost(shipment=shipment, actor=alice)
    compensation = lost_outcome_choose(shipment=shipment, outcome="replacement")
    with pytest.raises(ValidationError):
        replacement_ship(shipment=shipment, tracking_number=taken.tracking_number, actor=alice)
    with pytest.raises(ValidationError):
        replacement_ship(shipment=shipment, tracking_number="  ", actor=alice)
    assert replacement_of(shipment) is None
    compensation.refresh_from_db()
    assert compensation.status == Compensation.Status.APPROVED


def test_the_first_message_of_a_new_shipment_case_has_the_tracking_link(alice):
    shipment = ShipmentFactory(tracking_url="https://shop.example/track/first1")
    case, opened = issue_case_for(shipment=shipment)
    assert opened
    received = Notification.objects.get(case=case, template="case_received", channel="email")
    assert "https://shop.example/track/first1" in received.body


# --- the question is the customer's first answer -----------------------------------------------


def test_declaring_lost_answers_the_customer_and_opens_a_new_case(shipment, alice, time_machine):
    time_machine.move_to("2027-03-10 09:00Z", tick=False)
    # given detection opened the case two hours ago, and nobody has answered
    case, _opened = issue_case_for(shipment=shipment)
    assert (case.status, case.first_responded_at) == ("new", None)
    time_machine.shift(timedelta(hours=2))
    # when the agent declares the parcel lost
    shipment_declare_lost(shipment=shipment, actor=alice)
    # then asking the customer to choose was the first answer, and the case is being worked
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.first_responded_at == case.created_at + timedelta(hours=2)
    assert case.sla_due == case.resolution_due
    moved = case.events.get(verb="status_changed")
    assert (moved.data["status"], moved.data["reason"]) == ("open", "declared_lost")
    # and the customer gets the question, not a status email on top
    assert not Notification.objects.filter(case=case, template="case_status_changed").exists()


def test_a_case_waiting_on_the_carrier_opens_one_waiting_on_the_customer_stays(alice):
    waiting_on = {}
    for status in (Case.Status.WAITING_ON_CARRIER, Case.Status.WAITING_ON_CUSTOMER):
        shipment = ShipmentFactory()
        case, _opened = issue_case_for(shipment=shipment)
        case = case_transition_by_system(case=case, to=Case.Status.OPEN, reason="test")
        waiting_on[status] = (shipment, case_transition_by_system(case=case, to=status, reason="t"))
    for status, (shipment, case) in waiting_on.items():
        shipment_declare_lost(shipment=shipment, actor=alice)
        case.refresh_from_db()
        expected = Case.Status.OPEN if status == Case.Status.WAITING_ON_CARRIER else status
        assert case.status == expected
        assert case.first_responded_at is not None
