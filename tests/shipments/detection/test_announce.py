"""Findings land on the one shipment-issue case, raise its priority, are recorded on its
timeline and tell the customer once; the work is batched and its queries do not grow with
the number of shipments."""

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shipments.models import Finding, Shipment, ShipmentStatus
from shipments.services import findings
from shipments.services.detection import shipment_issues_detect
from shipments.services.findings import findings_announce
from shipments.verbs import Verb
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import OrderFactory
from tickets.models import Case, CaseEvent, Notification

pytestmark = pytest.mark.django_db

S = ShipmentStatus
DAY = dt.timedelta(days=1)


def detect(now):
    """A detection pass, then what the announcing task it queues does."""
    report = shipment_issues_detect(now=now)
    report.announced = findings.findings_announce_task_run()
    return report


def lost_parcel(now, **fields):
    return ShipmentFactory(
        status=S.IN_TRANSIT, first_scan_at=now - 9 * DAY, last_event_at=now - 8 * DAY, **fields
    )


def test_a_finding_opens_one_case_with_priority_event_and_notification(now):
    # Given a parcel silent 8 days (stalled and presumed lost)
    shipment = lost_parcel(now)

    # When detection runs
    report = detect(now)

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
    detect(now)
    notifications = Notification.objects.count()

    report = detect(now)

    assert report.found == 0
    assert report.announced == 0
    assert Case.objects.count() == 1
    assert Notification.objects.count() == notifications


def test_a_later_finding_joins_the_existing_case(now, time_machine):
    shipment = ShipmentFactory(status=S.EXCEPTION, first_scan_at=now - DAY, last_event_at=now - DAY)
    detect(now)
    later = now + 10 * DAY
    time_machine.move_to(later, tick=False)

    detect(later)

    assert Case.objects.count() == 1
    assert Finding.objects.filter(shipment=shipment).exclude(case=None).count() == 3


def test_a_resolved_case_reopens_on_a_new_finding(now):
    shipment = ShipmentFactory(status=S.EXCEPTION, first_scan_at=now, last_event_at=now)
    detect(now)
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED)
    Shipment.objects.filter(pk=shipment.pk).update(status=S.IN_TRANSIT, last_event_at=now - 6 * DAY)

    detect(now)

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_an_order_case_is_adopted_by_its_shipment(now):
    # Given an order not dispatched in time: a case about the order
    order = OrderFactory(placed_at=now - 3 * DAY)
    detect(now)
    case = Case.objects.get()
    assert case.order == order

    # When its parcel then gets stuck
    ShipmentFactory(order=order, status=S.EXCEPTION, first_scan_at=now, last_event_at=now)
    detect(now)

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


def test_a_finding_that_fails_is_left_for_the_next_pass(now, monkeypatch):
    # Given three findings, the first of which cannot be announced right now
    shipments = [
        ShipmentFactory(status=S.EXCEPTION, first_scan_at=now, last_event_at=now) for _ in range(3)
    ]
    shipment_issues_detect(now=now, announce_limit=0)
    real = findings.issue_case_for

    def flaky(*, shipment, **kwargs):
        if shipment.pk == shipments[0].pk:
            raise RuntimeError("database hiccup")
        return real(shipment=shipment, **kwargs)

    monkeypatch.setattr(findings, "issue_case_for", flaky)

    # When the findings are announced
    announced = findings_announce(limit=10, batch_size=2)

    # Then the others went out, and the failed one waits, with nothing half-written
    assert announced == 2
    failed = Finding.objects.get(shipment=shipments[0])
    assert failed.case is None
    assert (
        not Notification.objects.filter(case__isnull=False, template="shipment_problem")
        .filter(case__issue_shipment=shipments[0])
        .exists()
    )
    monkeypatch.setattr(findings, "issue_case_for", real)
    assert findings_announce(limit=10) == 1


def test_a_pass_leaves_announcing_to_the_task_it_queues(now, django_capture_on_commit_callbacks):
    lost_parcel(now)
    with (
        mock.patch.object(findings.queue, "enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = shipment_issues_detect(now=now)
    assert (report.found, report.announced, report.waiting) == (2, 0, 2)
    assert not Case.objects.exists()
    assert enqueue.call_args_list == [mock.call(findings.SHIPMENT_FINDINGS_ANNOUNCE)]


def test_the_task_queues_the_next_while_its_limit_stopped_it(
    now, settings, django_capture_on_commit_callbacks
):
    settings.SHIPMENT_ANNOUNCE_LIMIT = 2
    for _ in range(2):
        lost_parcel(now)  # four findings
    shipment_issues_detect(now=now, announce_limit=0)
    with (
        mock.patch.object(findings.queue, "enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert findings.findings_announce_task_run() == 2
        assert findings.findings_announce_task_run() == 2
        assert findings.findings_announce_task_run() == 0
    # the first found more waiting and queued the next; the second found none left
    assert enqueue.call_args_list.count(mock.call(findings.SHIPMENT_FINDINGS_ANNOUNCE)) == 1


def test_the_announcing_task_is_registered():
    from shipments import tasks

    assert tasks.shipment_findings_announce.name == findings.SHIPMENT_FINDINGS_ANNOUNCE


def test_the_customer_gets_the_parcels_own_tracking_page_when_the_shop_gave_one(now):
    lost_parcel(now, tracking_url="https://shop.example/track/abc123")
    detect(now)
    email = Notification.objects.filter(template="shipment_problem", channel="email").first()
    assert "https://shop.example/track/abc123" in email.body
    assert "dhl.com" not in email.body
