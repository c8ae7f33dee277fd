"""generate_load_data gives every generated order its parcel and tracking history."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Count, F, Max, Min
from django.utils import timezone

from shipments.models import FINAL_STATUSES, Finding, Shipment, ShipmentStatus, TrackingEvent
from tickets.loadgen import load_data_generate
from tickets.models import Case, Order

pytestmark = pytest.mark.django_db
N = 250
S = ShipmentStatus


@pytest.fixture
def data(db):
    return load_data_generate(cases=N)


def test_about_one_parcel_per_order_and_eleven_events_per_parcel(data):
    shipments, events = Shipment.objects.count(), TrackingEvent.objects.count()
    assert 0.95 * N <= shipments <= 1.1 * N
    assert 9 * shipments <= events <= 13 * shipments
    assert Order.objects.filter(shipments__isnull=True).count() <= 0.03 * N
    assert Shipment.objects.filter(direction=Shipment.Direction.REPLACEMENT).exists()


def test_statuses_spread_and_old_parcels_have_ended(data):
    statuses = Counter(Shipment.objects.values_list("status", flat=True))
    assert statuses[S.DELIVERED] > 0.7 * sum(statuses.values())
    assert statuses[S.LOST] > 0
    assert len(statuses) >= 4
    two_months_ago = timezone.now() - timedelta(days=60)
    old = Shipment.objects.filter(shipped_at__lt=two_months_ago)
    assert old.exclude(status__in=FINAL_STATUSES).count() == 0


def test_each_parcel_agrees_with_its_events(data):
    # given each shipment's first and last event
    rows = Shipment.objects.annotate(
        events_count=Count("events"),
        first=Min("events__occurred_at"),
        last=Max("events__occurred_at"),
    )
    now = timezone.now()
    for shipment in rows:
        if shipment.events_count:
            # then its last event time is the last event's, never in the future
            assert shipment.last_event_at == shipment.last <= now
            latest = shipment.events.order_by("-occurred_at", "-id").first()
            assert latest.status == shipment.status
        else:
            assert shipment.status == S.PENDING and shipment.last_event_at is None
        assert (shipment.status == S.DELIVERED) == (shipment.delivered_at is not None)
        assert (shipment.check_at is None) == (shipment.status in FINAL_STATUSES)
    # and event ids are unique per source
    assert TrackingEvent.objects.values("source", "external_id").distinct().count() == (
        TrackingEvent.objects.count()
    )


def test_lost_parcels_carry_the_finding_detection_left_on_their_case(data):
    lost = Shipment.objects.filter(status=S.LOST)
    assert lost.exists()
    findings = Finding.objects.filter(rule=Finding.Rule.PRESUMED_LOST, cleared_at__isnull=True)
    assert set(findings.values_list("shipment", flat=True)) == set(
        lost.values_list("pk", flat=True)
    )
    assert not findings.exclude(case=F("shipment__issue_case")).exists()


def test_shipment_issue_cases_point_at_their_parcel(data):
    linked = Shipment.objects.filter(issue_case__isnull=False)
    assert linked.exists()
    assert set(linked.values_list("issue_case__kind", flat=True)) == {Case.Kind.SHIPMENT_ISSUE}
    assert not linked.exclude(issue_case__order=F("order")).exists()
