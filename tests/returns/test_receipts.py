"""The RMA follows its return parcel's tracking: on its way, then received (the inspection
queue) with the customer told; an agent marks a parcel received that came without tracking."""

from datetime import timedelta

import pytest
from django.utils import timezone

from returns.errors import InvalidReturnTransition
from returns.models import ReturnRequest
from returns.services.receipts import return_parcels_moved, return_request_receive
from returns.verbs import Verb
from shipments.labels.models import Label
from shipments.models import ShipmentStatus
from shipments.services.intake import events_record
from shipments.signals import StatusChange
from shipments.tracking import EventIn
from tests.returns.test_claims import submit
from tests.returns.test_labels import ADDRESS
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import agent
from tickets.agent.workspace_timeline import actor_name
from tickets.models import Case, Notification
from tickets.services.transitions import case_transition

pytestmark = pytest.mark.django_db

S = ReturnRequest.Status


@pytest.fixture
def labelled(line, policy):
    request = submit(line, sender_address=ADDRESS)
    assert request.status == S.LABEL_ISSUED
    return request


def _track(request, status, hours):
    parcel = Label.objects.get(reference=request.rma).shipment
    at = timezone.now() + timedelta(hours=hours)
    events_record(shipment=parcel, events=(EventIn(occurred_at=at, status=status),), source="api")
    request.refresh_from_db()
    return at


def test_the_rma_follows_its_parcel_to_the_warehouse(labelled):
    _track(labelled, ShipmentStatus.IN_TRANSIT, 1)
    assert labelled.status == S.IN_TRANSIT
    delivered = _track(labelled, ShipmentStatus.DELIVERED, 30)

    assert labelled.status == S.RECEIVED and labelled.received_at == delivered
    verbs = list(labelled.case.events.values_list("verb", flat=True))
    assert Verb.IN_TRANSIT in verbs and Verb.RECEIVED in verbs
    email = Notification.objects.get(template="return_received", channel="email")
    assert labelled.rma in email.subject and email.language == "de"


def test_a_delivery_without_the_transit_scan_still_receives_it(labelled):
    _track(labelled, ShipmentStatus.DELIVERED, 30)
    assert labelled.status == S.RECEIVED
    assert labelled.case.events.filter(verb=Verb.IN_TRANSIT).count() == 1


def test_the_orders_outbound_parcel_moves_no_rma(labelled):
    ShipmentFactory(order=labelled.order, case=labelled.case, status=ShipmentStatus.PENDING)
    outbound = labelled.order.shipments.get(direction="outbound", status="pending")
    events_record(
        shipment=outbound,
        events=(EventIn(occurred_at=timezone.now(), status=ShipmentStatus.DELIVERED),),
        source="api",
    )
    labelled.refresh_from_db()
    assert labelled.status == S.LABEL_ISSUED


def test_a_batch_without_return_parcels_costs_no_query(labelled, django_assert_num_queries):
    outbound = ShipmentFactory()
    changes = [
        StatusChange(
            shipment_id=outbound.pk,
            previous="in_transit",
            status="delivered",
            incident_reason="",
            at=timezone.now(),
            event_id=1,
            direction=outbound.direction,
            case_id=None,
        )
    ]
    with django_assert_num_queries(0):
        assert return_parcels_moved(changes=changes) == 0
        assert return_parcels_moved(changes=[]) == 0


def test_an_agent_marks_it_received_once(labelled):
    received = return_request_receive(return_request=labelled, actor=agent(username="ana"))
    assert received.status == S.RECEIVED and received.received_at is not None
    with pytest.raises(InvalidReturnTransition):
        return_request_receive(return_request=labelled, actor=None)
    # a late delivery scan changes nothing any more
    _track(labelled, ShipmentStatus.DELIVERED, 40)
    assert labelled.status == S.RECEIVED
    assert Notification.objects.filter(template="return_received", channel="email").count() == 1


def test_the_panel_marks_it_received(labelled, client, agent_user):
    client.force_login(agent_user)
    page = client.get(f"/agent/cases/{labelled.case.number}/").content.decode()
    assert f"/agent/returns/{labelled.pk}/receive/" in page
    assert client.post(f"/agent/returns/{labelled.pk}/receive/").status_code == 303
    page = client.get(f"/agent/cases/{labelled.case.number}/").content.decode()
    assert "waiting for inspection" in page
    assert client.post(f"/agent/returns/{labelled.pk}/receive/").status_code == 409


# --- the case waits on the return while the parcel travels -------------------------------------


def test_the_case_waits_on_the_return_with_its_clocks_still_until_the_parcel_is_in(
    line, policy, time_machine
):
    time_machine.move_to("2026-07-15T08:00:00+00:00", tick=False)
    request = submit(line, sender_address=ADDRESS)
    case = Case.objects.get(pk=request.case_id)
    # the label is out: the case waits on the customer's parcel, its clocks stand still
    assert request.status == S.LABEL_ISSUED
    assert (case.status, case.sla_due) == (Case.Status.WAITING_ON_RETURN, None)
    assert case.sla_paused_at is not None
    due_before = case.resolution_due
    # told once, by the label's email: no status email besides it
    templates = set(Notification.objects.values_list("template", flat=True))
    assert "return_label" in templates and "case_status_changed" not in templates

    # two days later the parcel is in: the case is open again, its targets pushed by the wait
    time_machine.move_to("2026-07-17T08:00:00+00:00", tick=False)
    _track(request, ShipmentStatus.DELIVERED, 0)
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN and case.sla_paused_at is None
    assert case.resolution_due > due_before
    assert case.sla_due is not None
    assert not Notification.objects.filter(template="case_status_changed").exists()
    assert list(case.events.filter(verb="status_changed").values_list("data__reason", flat=True))[
        -2:
    ] == ["return_label_issued", "return_received"]


def test_a_parcel_in_leaves_a_case_an_agent_moved_on_where_it_is(labelled, agent_user):
    case = case_transition(case=Case.objects.get(pk=labelled.case_id), to="open", actor=agent_user)
    case = case_transition(case=case, to="waiting_on_customer", actor=agent_user)
    _track(labelled, ShipmentStatus.DELIVERED, 1)
    assert labelled.status == S.RECEIVED
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING_ON_CUSTOMER


def test_what_the_policy_and_the_tracking_did_is_named_the_systems(labelled):
    # given a request the policy approved, with its label, whose parcel then came in
    _track(labelled, ShipmentStatus.IN_TRANSIT, 1)
    _track(labelled, ShipmentStatus.DELIVERED, 30)
    # then the workspace names the customer for their request and words, the system for the rest
    named = {e.verb: actor_name(e) for e in labelled.case.events.filter(actor=None)}
    assert {verb for verb, name in named.items() if name == "Customer"} == {
        "created",
        "message_added",
        Verb.REQUESTED,
    }
    assert {Verb.APPROVED, Verb.IN_TRANSIT, Verb.RECEIVED} <= set(named)
