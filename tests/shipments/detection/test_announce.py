"""Findings land on the one shipment-issue case, raise its priority, are recorded on its
timeline and tell the customer once; the work is batched and its queries do not grow with
the number of shipments."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shipments.models import Finding, Shipment, ShipmentStatus
from shipments.services.detection import shipment_issues_detect
from shipments.services.findings import findings_announce
from shipments.verbs import Verb
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import OrderFactory
from tickets.models import Case, CaseEvent, Notification

pytestmark = pytest.mark.django_db

S = ShipmentStatus
DAY = dt.timedelta(days=1)


def lost_parcel(now, **fields):
    return ShipmentFactory(
        status=S.IN_TRANSIT, first_scan_at=now - 9 * DAY, last_event_at=now - 8 * DAY, **fields
    )


def test_a_finding_opens_one_case_with_priority_event_and_notification(now):
    # Given a parcel silent 8 days (stalled and presumed lost)
    shipment = lost_parcel(now)

    # When detection runs
    report = shipment_issues_detect(now=now)

    # Then both findings are on one case, raised to high priority
    assert report.announced == 2
    case = Case.objects.get(kind=Case.Kind.SHIPMENT_ISSUE)
    shipment.refresh_from_db()
    assert shipment.issue_case == case
    assert case.priority == Case.Priority.HIGH
    assert set(Finding.objects.values_list("case", flat=True)) == {case.pk}
    events = CaseEvent.objects.filter(case=case, verb=Verb.FINDING)
    assert sorted(e.data["rule"] for e in events) == ["presumed_lost", "stalled"]
    # And the customer is told in their language (German), with the tracking link
    emails = Notification.objects.filter(template="shipment_problem", channel="email")
    assert emails.count() == 2
    lost = emails.order_by("pk").last()
    assert lost.language == "de"
    assert shipment.tracking_number in lost.body
    assert "https://www.dhl.com/track?tracking-id=" in lost.body


def test_second_run_opens_no_second_case_and_sends_nothing(now):
    lost_parcel(now)
    shipment_issues_detect(now=now)
    notifications = Notification.objects.count()

    report = shipment_issues_detect(now=now)

    assert report.found == 0
    assert report.announced == 0
    assert Case.objects.count() == 1
    assert Notification.objects.count() == notifications


def test_a_later_finding_joins_the_existing_case(now, time_machine):
    shipment = ShipmentFactory(status=S.EXCEPTION, first_scan_at=now - DAY, last_event_at=now - DAY)
    shipment_issues_detect(now=now)
    later = now + 10 * DAY
    time_machine.move_to(later, tick=False)

    shipment_issues_detect(now=later)

    assert Case.objects.count() == 1
    assert Finding.objects.filter(shipment=shipment).exclude(case=None).count() == 3


def test_a_resolved_case_reopens_on_a_new_finding(now):
    shipment = ShipmentFactory(status=S.EXCEPTION, first_scan_at=now, last_event_at=now)
    shipment_issues_detect(now=now)
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED)
    Shipment.objects.filter(pk=shipment.pk).update(status=S.IN_TRANSIT, last_event_at=now - 6 * DAY)

    shipment_issues_detect(now=now)

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_an_order_case_is_adopted_by_its_shipment(now):
    # Given an order not dispatched in time: a case about the order
    order = OrderFactory(placed_at=now - 3 * DAY)
    shipment_issues_detect(now=now)
    case = Case.objects.get()
    assert case.order == order

    # When its parcel then gets stuck
    ShipmentFactory(order=order, status=S.EXCEPTION, first_scan_at=now, last_event_at=now)
    shipment_issues_detect(now=now)

    # Then the shipment's findings join that same case
    assert Case.objects.count() == 1
    assert order.shipments.get().issue_case == case


def test_announcing_is_batched_and_limited(now):
    for _ in range(5):
        ShipmentFactory(status=S.EXCEPTION, first_scan_at=now, last_event_at=now)
    shipment_issues_detect(now=now, announce_limit=0)

    assert findings_announce(limit=3, batch_size=2) == 3
    assert Finding.objects.filter(case=None).count() == 2
    assert findings_announce(limit=10, batch_size=2) == 2
    assert Finding.objects.filter(case=None).count() == 0


def _detection_queries(now):
    with CaptureQueriesContext(connection) as queries:
        shipment_issues_detect(now=now, announce_limit=0)
    return len(queries)


def test_detection_queries_do_not_grow_with_shipments(now):
    # Given few problem parcels, then many more
    for _ in range(2):
        lost_parcel(now)
    few = _detection_queries(now)
    Finding.objects.all().delete()
    for _ in range(20):
        lost_parcel(now)

    many = _detection_queries(now)

    assert many == few
