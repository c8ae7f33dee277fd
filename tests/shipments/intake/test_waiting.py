"""A case waiting on the carrier opens when the carrier moves its parcel (services/waiting.py)."""

import datetime

import pytest
from django.utils import timezone

from shipments.models import Shipment, ShipmentStatus
from shipments.services.intake import events_record
from shipments.services.issue_cases import issue_case_for
from shipments.tracking import EventIn
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import CaseFactory
from tickets.models import Case, Notification
from tickets.services.transitions import case_transition_by_system

pytestmark = pytest.mark.django_db

S = ShipmentStatus


def _waiting_on(case: Case, status: str) -> Case:
    case = case_transition_by_system(case=case, to=Case.Status.OPEN, reason="test")
    return case_transition_by_system(case=case, to=status, reason="test")


def _scan(shipment: Shipment, status: str) -> None:
    event = EventIn(occurred_at=timezone.now(), status=status, external_id=status)
    events_record(shipment=shipment, events=(event,), source="generic")


def test_the_carriers_news_opens_the_case_waiting_on_it(time_machine):
    time_machine.move_to("2027-03-10 09:00Z", tick=False)
    shipment = ShipmentFactory(status=S.IN_TRANSIT)
    case, _opened = issue_case_for(shipment=shipment)
    case = _waiting_on(case, Case.Status.WAITING_ON_CARRIER)
    paused_due = case.resolution_due
    told = Notification.objects.filter(template="case_status_changed", case=case).count()
    assert case.sla_due is None  # the clocks stand still while it waits
    # when, a day later, the carrier delivers the parcel
    time_machine.shift(datetime.timedelta(days=1))
    _scan(shipment, S.DELIVERED)
    # then the case is open again, its clocks running, pushed by the day it waited
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.resolution_due == paused_due + datetime.timedelta(days=1)
    assert case.sla_due is not None
    moved = case.events.filter(verb="status_changed").latest("pk")
    assert (moved.data["status"], moved.data["reason"]) == ("open", "parcel_delivered")
    # and the customer hears of the delivery from its update, not from a status email
    assert Notification.objects.filter(template="case_status_changed", case=case).count() == told


def test_a_case_a_parcel_was_sent_for_opens_too_and_other_cases_stay():
    # a replacement sent for a wrong-item case waiting on the carrier
    sent_for = _waiting_on(CaseFactory(kind=Case.Kind.WRONG_ITEM), Case.Status.WAITING_ON_CARRIER)
    replacement = ShipmentFactory(status=S.IN_TRANSIT, case=sent_for)
    # a parcel whose case waits on the customer
    asked = ShipmentFactory(status=S.IN_TRANSIT)
    case, _opened = issue_case_for(shipment=asked)
    waiting_on_customer = _waiting_on(case, Case.Status.WAITING_ON_CUSTOMER)

    _scan(replacement, S.OUT_FOR_DELIVERY)
    _scan(asked, S.DELIVERY_FAILED)

    sent_for.refresh_from_db()
    waiting_on_customer.refresh_from_db()
    assert sent_for.status == Case.Status.OPEN
    assert waiting_on_customer.status == Case.Status.WAITING_ON_CUSTOMER


def test_a_scan_that_moves_no_status_wakes_nothing():
    shipment = ShipmentFactory(status=S.IN_TRANSIT)
    case, _opened = issue_case_for(shipment=shipment)
    case = _waiting_on(case, Case.Status.WAITING_ON_CARRIER)
    _scan(shipment, S.IN_TRANSIT)
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING_ON_CARRIER
