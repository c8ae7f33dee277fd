"""What the shipment-issue kind tells through the registry: the customer's next step and
status history, the tracking link and estimate of its messages, and the macros' tracking link."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from shipments.models import Shipment, ShipmentStatus
from shipments.services.customer_reports import shipment_customer_report
from shipments.services.issue_cases import issue_case_for
from shipments.verbs import Verb
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tickets.models import Case, Notification
from tickets.scenarios import (
    NotificationLink,
    case_milestones,
    case_next_step,
    case_placeholders,
    notification_context,
)
from tickets.services import timeline
from tickets.services.notifications import notify
from tickets.services.transitions import case_transition
from tickets.templatetags.portal import next_step_text

pytestmark = pytest.mark.django_db

NOW = "2026-07-16T10:00:00+00:00"


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def shipment(now):
    return ShipmentFactory(
        tracking_number="JD014600000007",
        promised_delivery_date=date(2026, 7, 20),
        carrier=CarrierFactory(),
    )


def step(case):
    with translation.override("en"):
        return next_step_text(case_next_step(case=case))


def test_while_on_its_way_the_next_step_gives_the_estimate(shipment):
    case, _opened = issue_case_for(shipment=shipment)
    assert step(case) == (
        "We follow your parcel with the carrier and tell you as soon as anything changes. "
        "Expected delivery: July 20, 2026."
    )
    # and in the reader's language
    with translation.override("de"):
        assert "20. Juli 2026" in next_step_text(case_next_step(case=case))


def test_a_late_parcel_is_chased_by_the_cases_due_time(shipment):
    Shipment.objects.filter(pk=shipment.pk).update(revised_estimate=date(2026, 7, 15))
    case, _opened = issue_case_for(shipment=shipment)
    assert case.first_response_due is not None
    assert step(case).startswith(
        "Your parcel is late. We are asking the carrier and will write to you by "
    )


def test_a_late_parcel_chased_past_its_due_time_or_waiting_on_the_carrier_gives_no_date(
    shipment, time_machine
):
    Shipment.objects.filter(pk=shipment.pk).update(revised_estimate=date(2026, 7, 15))
    case, _opened = issue_case_for(shipment=shipment)
    asking = "Your parcel is late. We are asking the carrier and will write to you as soon as we "
    # past the case's due time
    time_machine.move_to(case.sla_due + timedelta(minutes=1), tick=False)
    assert step(case).startswith(asking)
    # waiting on the carrier, the clocks stand still
    time_machine.move_to(NOW, tick=False)
    case = case_transition(case=case, to=Case.Status.OPEN, actor=None)
    case = case_transition(case=case, to=Case.Status.WAITING_ON_CARRIER, actor=None)
    assert case.sla_due is None
    assert step(case).startswith(asking)


def test_a_parcel_at_a_pickup_point_is_the_customers_to_collect_even_when_late(shipment):
    Shipment.objects.filter(pk=shipment.pk).update(
        status=ShipmentStatus.AVAILABLE_FOR_PICKUP, revised_estimate=date(2026, 7, 15)
    )
    case, _opened = issue_case_for(shipment=shipment)
    collect = case_next_step(case=case)
    assert next_step_text(collect).startswith(
        "Your parcel is waiting for you at a pickup point. Please collect it soon"
    )
    shipment.refresh_from_db()
    assert (collect.action_label, collect.action_url) == (
        "Track your parcel",
        shipment.tracking_link,
    )
    assert collect.action_url


def test_a_lost_parcel_is_made_right(shipment):
    Shipment.objects.filter(pk=shipment.pk).update(
        status=ShipmentStatus.LOST, declared_lost_at=datetime(2026, 7, 16, tzinfo=UTC)
    )
    case, _opened = issue_case_for(shipment=shipment)
    # the customer is asked to choose, with a button to the choice page
    choice = case_next_step(case=case)
    assert next_step_text(choice).startswith("Your parcel is lost. Choose a refund or a replace")
    assert choice.action_url == f"/portal/shipments/{shipment.pk}/lost/"
    # once chosen, we make it right
    Shipment.objects.filter(pk=shipment.pk).update(lost_outcome="refund")
    assert step(case).startswith("Your parcel is lost. We will refund or replace it")
    assert not case_next_step(case=case).action_url


def test_a_delivered_parcel_or_a_solved_case_tells_what_the_general_kind_does(shipment):
    case, _opened = issue_case_for(shipment=shipment)
    Shipment.objects.filter(pk=shipment.pk).update(status=ShipmentStatus.DELIVERED)
    assert step(case).startswith("We will answer by ")
    case = case_transition(case=case, to=Case.Status.OPEN, actor=None)
    case = case_transition(case=case, to=Case.Status.RESOLVED, actor=None)
    assert step(case).startswith("Closes on ")


def test_the_status_history_shows_the_customers_report_and_the_loss(shipment):
    case, _opened = shipment_customer_report(shipment=shipment, body="Where is it?")
    timeline.record(case=case, verb=Verb.DECLARED_LOST, actor=None)
    with translation.override("en"):
        labels = [str(m.label) for m in case_milestones(case=case)]
    assert labels == [
        "We are looking into your parcel",
        "You told us your parcel has not arrived",
        "Your parcel was declared lost",
    ]


def test_every_message_about_the_case_carries_the_tracking_link_and_estimate(shipment):
    case, _opened = issue_case_for(shipment=shipment)
    context = notification_context(case=case, event="case_status_changed")
    link = "https://www.dhl.com/track?tracking-id=JD014600000007"
    assert context["tracking_link"] == link
    assert context["estimate"] == date(2026, 7, 20)
    assert context["links"] == [NotificationLink("Track your parcel", link)]
    # and the email lists it under the message
    notify(
        customer=case.customer,
        event="agent_reply",
        key="t1",
        case=case,
        context={"message": case.messages.create(body="Hello", author_kind="agent")},
    )
    email = Notification.objects.get(template="agent_reply", channel="email")
    assert link in email.body


def test_a_carrier_without_a_tracking_page_gives_no_link(now):
    shipment = ShipmentFactory(carrier=CarrierFactory(code="local", name="Local", tracking_url=""))
    case, _opened = issue_case_for(shipment=shipment)
    assert notification_context(case=case, event="x")["links"] == []
    assert case_placeholders(case=case) == {"tracking_link": ""}


def test_macros_get_the_tracking_link(shipment):
    case, _opened = issue_case_for(shipment=shipment)
    assert case_placeholders(case=case) == {
        "tracking_link": "https://www.dhl.com/track?tracking-id=JD014600000007"
    }


def test_a_shipment_case_without_a_shipment_falls_back_quietly(now):
    from tests.tickets.factories import CaseFactory

    case = CaseFactory(kind=Case.Kind.SHIPMENT_ISSUE)
    assert notification_context(case=case, event="x") == {}
    assert case_placeholders(case=case) == {}
    assert case_next_step(case=case) is not None
