"""seed_demo adds parcels along the simulator's scripts, tracked through the intake, once."""

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from shipments.adapters.simulator import SCRIPTS, script_for
from shipments.demo import SCRIPTED
from shipments.models import Finding, Shipment, ShipmentStatus, TrackingEvent
from tickets.models import Case, Compensation, Order

pytestmark = pytest.mark.django_db
S = ShipmentStatus


def seed() -> str:
    stdout = io.StringIO()
    call_command("seed_demo", stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def test_every_script_has_its_parcel_standing_where_its_rule_fires(seeded):
    # given the demo
    shipments = Shipment.objects.filter(order__store="demo")
    scripts = Counter(script_for(s.tracking_number).name for s in shipments)
    # then every script is played, as often as planned (the on-time ones by the dozen)
    for name, _days, count in SCRIPTED:
        assert scripts[name] >= count, name
    assert set(scripts) == set(SCRIPTS)
    by_number = {s.tracking_number: s for s in shipments}
    assert by_number["SIM-LATE-0001"].status == S.IN_TRANSIT
    assert by_number["SIM-CUSTOMS-DOCUMENTS-0001"].status == S.CUSTOMS_HOLD
    assert by_number["SIM-LOST-0001"].status == S.LOST
    assert by_number["SIM-PICKUP-WAITING-0001"].status == S.AVAILABLE_FOR_PICKUP
    assert by_number["SIM-UNKNOWN-TRACKING-0001"].status == S.PENDING
    assert (
        by_number["SIM-LATE-0001"].promised_delivery_date
        < by_number["SIM-LATE-0001"].revised_estimate
    )
    # and scripted parcels go abroad, after their order was placed
    for name in ("SIM-STALLED-0001", "SIM-LOST-SILENT-0001"):
        parcel = by_number[name]
        assert parcel.destination_country != parcel.origin_country
        assert parcel.order.placed_at < parcel.shipped_at


def test_the_tracking_came_through_the_intake_from_the_simulator(seeded):
    events = TrackingEvent.objects.filter(shipment__order__store="demo")
    assert events.count() > 500
    assert set(events.values_list("source", flat=True)) == {TrackingEvent.Source.SIMULATOR}
    delivered = Shipment.objects.filter(order__store="demo", status=S.DELIVERED)
    assert delivered.count() > 100
    assert not delivered.filter(delivered_at__isnull=True).exists()
    assert "Demo shipments:" in seeded


def test_detection_shows_every_rule_on_one_case_per_parcel(seeded):
    # given the demo's detection pass
    findings = Finding.objects.filter(order__store="demo")
    # then every rule fired, and each parcel with a finding has its one shipment-issue case
    assert set(findings.values_list("rule", flat=True)) == set(Finding.Rule.values)
    flagged = Shipment.objects.filter(findings__isnull=False).distinct()
    assert not flagged.filter(issue_case__isnull=True).exists()
    assert not flagged.exclude(issue_case__kind=Case.Kind.SHIPMENT_ISSUE).exists()


def test_a_lost_parcel_was_refunded_and_another_replaced(seeded):
    # given the demo's lost parcels (the carrier said so)
    lost = Shipment.objects.filter(tracking_number__startswith="SIM-LOST-0").order_by(
        "tracking_number"
    )
    refunded, replaced = lost[1], lost[2]
    # then one was refunded, the other replaced by an expedited parcel on the same case
    refund = Compensation.objects.get(case=refunded.issue_case)
    assert (refund.kind, refund.status) == (Compensation.Kind.REFUND, Compensation.Status.ISSUED)
    replacement = Compensation.objects.get(case=replaced.issue_case)
    assert replacement.kind == Compensation.Kind.REPLACEMENT
    # (the wrong-item demo reships too, on cases of its own)
    new_parcel = Shipment.objects.get(
        direction=Shipment.Direction.REPLACEMENT, case=replaced.issue_case
    )
    assert new_parcel.order_id == replaced.order_id
    assert new_parcel.service_level == Shipment.ServiceLevel.EXPEDITED
    assert "one refunded, one replaced" in seeded


def test_one_recent_order_stays_unshipped_past_the_handling_time(seeded):
    unshipped = Order.objects.filter(store="demo", shipments__isnull=True, cases__isnull=True)
    assert unshipped.exists()


def test_a_second_run_makes_no_more_parcels_or_events(seeded):
    # given the parcels and events of the first run
    before = (Shipment.objects.count(), TrackingEvent.objects.count())
    # when seeding again
    again = seed()
    # then nothing is added
    assert (Shipment.objects.count(), TrackingEvent.objects.count()) == before
    assert "Demo shipments:" not in again
