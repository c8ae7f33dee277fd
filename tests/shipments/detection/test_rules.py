"""Each detection rule fires past its threshold, not before, and clears with its cause."""

import datetime as dt

import pytest

from shipments.models import Finding, RouteThresholds, Shipment, ShipmentStatus
from shipments.services.detection import shipment_issues_detect
from tests.shipments.factories import ShipmentFactory, TrackingEventFactory
from tests.tickets.factories import OrderFactory

pytestmark = pytest.mark.django_db

S = ShipmentStatus
Rule = Finding.Rule
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def scanned(now, *, silent_for, status=S.IN_TRANSIT, **fields):
    """A shipment the carrier scanned, last heard of `silent_for` ago."""
    last = now - silent_for
    shipment = ShipmentFactory(
        status=status,
        first_scan_at=last - DAY,
        last_event_at=last,
        promised_delivery_date=(now + 5 * DAY).date(),
        **fields,
    )
    TrackingEventFactory(shipment=shipment, occurred_at=last, status=status)
    return shipment


def rules_of(shipment):
    return set(
        Finding.objects.filter(shipment=shipment, cleared_at__isnull=True).values_list(
            "rule", flat=True
        )
    )


def detect(now):
    return shipment_issues_detect(now=now, announce_limit=0)


def test_stalled_domestic_after_five_days_not_before(now):
    # Given two domestic parcels, silent 5 days and a bit, and 4 days and a bit
    stalled = scanned(now, silent_for=5 * DAY + HOUR)
    moving = scanned(now, silent_for=4 * DAY + 23 * HOUR)

    # When detection runs
    report = detect(now)

    # Then only the first is stalled, with its threshold kept
    assert rules_of(stalled) == {Rule.STALLED}
    assert rules_of(moving) == set()
    assert report.rules[Rule.STALLED].found == 1
    finding = Finding.objects.get(shipment=stalled)
    assert finding.data["threshold"] == {"name": "stalled_days", "value": 5}


def test_stalled_international_waits_ten_days(now):
    # Given international parcels (DE → US) silent 9 and 11 days
    early = scanned(now, silent_for=9 * DAY, destination_country="US")
    late = scanned(now, silent_for=11 * DAY, destination_country="US")

    detect(now)

    assert rules_of(early) == set()
    assert rules_of(late) == {Rule.STALLED}


def test_route_thresholds_most_specific_wins(now):
    # Given thresholds for anything to the US (3 days) and for DE → US (8 days), and a blank
    # stalled limit for FR → US that falls through to the US row
    RouteThresholds.objects.create(destination_country="US", stalled_days=3)
    RouteThresholds.objects.create(origin_country="DE", destination_country="US", stalled_days=8)
    RouteThresholds.objects.create(origin_country="FR", destination_country="US", lost_days=30)
    de_us = scanned(now, silent_for=4 * DAY, destination_country="US")
    fr_us = scanned(now, silent_for=4 * DAY, origin_country="FR", destination_country="US")
    de_us_long = scanned(now, silent_for=8 * DAY + HOUR, destination_country="US")

    detect(now)

    assert rules_of(de_us) == set()
    assert rules_of(fr_us) == {Rule.STALLED}
    assert rules_of(de_us_long) == {Rule.STALLED}


def test_presumed_lost_after_silence_and_by_the_carrier(now):
    # Given a domestic parcel silent 7 days, an international one silent 19, and one the
    # carrier calls lost
    silent = scanned(now, silent_for=7 * DAY + HOUR)
    international = scanned(now, silent_for=19 * DAY, destination_country="US")
    carrier_lost = scanned(now, silent_for=HOUR, status=S.LOST)

    detect(now)

    assert rules_of(silent) == {Rule.STALLED, Rule.PRESUMED_LOST}
    assert Finding.objects.get(shipment=silent, rule=Rule.PRESUMED_LOST).data["because"] == (
        "silence"
    )
    assert Rule.PRESUMED_LOST not in rules_of(international)
    assert rules_of(carrier_lost) == {Rule.PRESUMED_LOST}


def test_late_past_the_promised_or_revised_date(now):
    # Given a parcel promised yesterday, one promised yesterday but revised to tomorrow, and a
    # delivered one promised last week
    late = scanned(now, silent_for=HOUR)
    Shipment.objects.filter(pk=late.pk).update(promised_delivery_date=(now - DAY).date())
    revised = scanned(now, silent_for=HOUR, revised_estimate=(now + DAY).date())
    Shipment.objects.filter(pk=revised.pk).update(promised_delivery_date=(now - DAY).date())
    delivered = scanned(now, silent_for=HOUR, status=S.DELIVERED, delivered_at=now - HOUR)
    Shipment.objects.filter(pk=delivered.pk).update(promised_delivery_date=(now - 7 * DAY).date())

    detect(now)

    assert rules_of(late) == {Rule.LATE}
    assert rules_of(revised) == set()
    assert rules_of(delivered) == set()


def test_customs_hold_too_long_or_asking_for_documents(now):
    # Given a parcel in customs 4 days, one since yesterday, and one for which customs wants
    # duties paid
    long_hold = scanned(
        now, silent_for=4 * DAY, status=S.CUSTOMS_HOLD, customs_state="held",
        customs_since=now - 4 * DAY, destination_country="US",
    )  # fmt: skip
    new_hold = scanned(
        now, silent_for=DAY, status=S.CUSTOMS_HOLD, customs_state="held",
        customs_since=now - DAY, destination_country="US",
    )  # fmt: skip
    duties = scanned(
        now, silent_for=HOUR, status=S.CUSTOMS_HOLD, customs_state="duties",
        customs_since=now - HOUR, destination_country="US",
    )  # fmt: skip

    detect(now)

    assert rules_of(long_hold) == {Rule.CUSTOMS}
    assert rules_of(new_hold) == set()
    assert rules_of(duties) == {Rule.CUSTOMS}
    assert Finding.objects.get(shipment=duties).data["customs"] == "duties"


@pytest.mark.parametrize("status", [S.EXCEPTION, S.DELIVERY_FAILED, S.RETURN_TO_SENDER])
def test_carrier_problems_fire_at_once(now, status):
    shipment = scanned(now, silent_for=HOUR, status=status, incident_reason="address")

    detect(now)

    assert rules_of(shipment) == {Rule.EXCEPTION}
    assert Finding.objects.get(shipment=shipment).data["reason"] == "address"


def test_pickup_reminder_after_three_days(now):
    waiting = scanned(now, silent_for=3 * DAY + HOUR, status=S.AVAILABLE_FOR_PICKUP)
    fresh = scanned(now, silent_for=2 * DAY, status=S.AVAILABLE_FOR_PICKUP)

    detect(now)

    assert rules_of(waiting) == {Rule.PICKUP_WAITING}
    assert rules_of(fresh) == set()


def test_label_without_a_first_scan_past_handling_time(now):
    # Given labels made 49 and 47 hours ago that the carrier only knows as "info received"
    forgotten = ShipmentFactory(status=S.INFO_RECEIVED, shipped_at=now - 49 * HOUR,
                                last_event_at=now - 49 * HOUR)  # fmt: skip
    TrackingEventFactory(shipment=forgotten, status=S.INFO_RECEIVED, occurred_at=now - 49 * HOUR)
    recent = ShipmentFactory(status=S.INFO_RECEIVED, shipped_at=now - 47 * HOUR,
                             last_event_at=now - 47 * HOUR)  # fmt: skip

    detect(now)

    assert rules_of(forgotten) == {Rule.NOT_DISPATCHED}
    assert rules_of(recent) == set()


def test_tracking_number_unknown_after_hours(now):
    # Given a label 49 hours old the carrier never reported on, and one 47 hours old
    unknown = ShipmentFactory(status=S.PENDING, shipped_at=now - 49 * HOUR)
    young = ShipmentFactory(status=S.PENDING, shipped_at=now - 47 * HOUR)

    detect(now)

    assert rules_of(unknown) == {Rule.UNKNOWN_TRACKING, Rule.NOT_DISPATCHED}
    assert rules_of(young) == set()


def test_orders_without_a_shipment_past_handling_time(now):
    # Given orders placed 3 days ago (one shipped), one an hour ago, and one a month ago
    unshipped = OrderFactory(placed_at=now - 3 * DAY)
    ShipmentFactory(order=OrderFactory(placed_at=now - 3 * DAY), status=S.IN_TRANSIT,
                    first_scan_at=now - DAY, last_event_at=now - HOUR)  # fmt: skip
    OrderFactory(placed_at=now - HOUR)
    OrderFactory(placed_at=now - 30 * DAY)

    detect(now)

    findings = Finding.objects.filter(shipment__isnull=True)
    assert [(f.order_id, f.rule) for f in findings] == [(unshipped.pk, Rule.NOT_DISPATCHED)]


def test_order_finding_clears_once_a_shipment_exists(now):
    order = OrderFactory(placed_at=now - 3 * DAY)
    detect(now)

    ShipmentFactory(order=order, first_scan_at=now, last_event_at=now)
    report = detect(now)

    assert report.rules[Rule.NOT_DISPATCHED].cleared == 1
    assert Finding.objects.get(order=order, shipment__isnull=True).cleared_at == now


def test_a_finding_clears_with_its_cause_and_may_fire_again(now, time_machine):
    # Given a stalled parcel
    shipment = scanned(now, silent_for=6 * DAY)
    detect(now)

    # When a new scan arrives and detection runs again
    Shipment.objects.filter(pk=shipment.pk).update(last_event_at=now)
    report = detect(now)

    # Then the finding is cleared
    assert report.rules[Rule.STALLED].cleared == 1
    assert rules_of(shipment) == set()

    # And when it stalls again six days later, a new finding opens
    later = now + 6 * DAY
    time_machine.move_to(later, tick=False)
    detect(later)
    assert Finding.objects.filter(shipment=shipment, rule=Rule.STALLED).count() == 2
    assert Rule.STALLED in rules_of(shipment)


def test_delivery_clears_every_finding(now):
    shipment = scanned(now, silent_for=8 * DAY)
    Shipment.objects.filter(pk=shipment.pk).update(promised_delivery_date=(now - DAY).date())
    detect(now)
    assert rules_of(shipment) == {Rule.STALLED, Rule.PRESUMED_LOST, Rule.LATE}

    Shipment.objects.filter(pk=shipment.pk).update(status=S.DELIVERED, delivered_at=now)
    detect(now)

    assert rules_of(shipment) == set()


def test_return_shipments_are_not_looked_at(now):
    shipment = scanned(now, silent_for=30 * DAY, direction=Shipment.Direction.RETURN)

    detect(now)

    assert rules_of(shipment) == set()


def test_second_run_finds_nothing_new(now):
    scanned(now, silent_for=6 * DAY)
    scanned(now, silent_for=HOUR, status=S.EXCEPTION)
    first = detect(now)

    second = detect(now)

    assert first.found == 2
    assert second.found == 0
    assert second.cleared == 0
    assert Finding.objects.count() == 2
