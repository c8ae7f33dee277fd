"""Polling asks the carriers with an adapter about the shipments not updated lately, feeds the
answers through the intake, and backs off per carrier when the carrier fails."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from shipments import tasks
from shipments.adapters.simulator import tracking_number_for
from shipments.models import ShipmentStatus, TrackingEvent
from shipments.services.polling import shipments_due_for_poll, shipments_poll
from tests.shipments.factories import CarrierFactory, ShipmentFactory

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
S = ShipmentStatus


@pytest.fixture
def simulator(db):
    return CarrierFactory(code="simulator", name="Simulated Post", poll_interval_minutes=240)


def sim_shipment(carrier, script, serial=1, *, shipped_days_ago=4.0, **extra):
    return ShipmentFactory(
        carrier=carrier,
        tracking_number=tracking_number_for(script, serial),
        status=S.PENDING,
        shipped_at=NOW - timedelta(days=shipped_days_ago),
        **extra,
    )


def test_a_due_shipment_gets_its_carriers_events_through_the_intake(simulator, time_machine):
    # given a parcel shipped four days ago that nobody told us about
    time_machine.move_to(NOW, tick=False)
    shipment = sim_shipment(simulator, "on_time")
    # when polling runs
    outcome = shipments_poll()
    # then the simulator's events are stored once, under its source, and the status follows
    shipment.refresh_from_db()
    assert outcome.polled == 1 and outcome.stored == 6
    assert shipment.status == S.DELIVERED
    assert shipment.polled_at == NOW
    sources = set(TrackingEvent.objects.values_list("source", flat=True))
    assert sources == {TrackingEvent.Source.SIMULATOR}


def test_a_shipment_polled_or_updated_within_the_interval_waits(simulator, time_machine):
    # given one parcel polled an hour ago, one updated (by a webhook) an hour ago, one never
    time_machine.move_to(NOW, tick=False)
    hour_ago = NOW - timedelta(hours=1)
    polled = sim_shipment(simulator, "stalled", 1, polled_at=hour_ago)
    updated = sim_shipment(simulator, "stalled", 2, last_event_at=hour_ago)
    never = sim_shipment(simulator, "stalled", 3)
    old = sim_shipment(simulator, "stalled", 4, polled_at=NOW - timedelta(hours=5))
    # then only the never-polled one and the one polled before the interval are due, never first
    due = list(shipments_due_for_poll(carrier=simulator, now=NOW))
    assert due == [never, old]
    assert polled not in due and updated not in due


def test_final_shipments_and_carriers_without_an_adapter_are_left_alone(simulator, time_machine):
    # given a delivered simulator parcel and a parcel of a carrier with no adapter
    time_machine.move_to(NOW, tick=False)
    delivered = ShipmentFactory(
        carrier=simulator, tracking_number="SIM-LATE-0009", status=S.DELIVERED
    )
    other = ShipmentFactory(carrier=CarrierFactory(code="dhl_express"), status=S.IN_TRANSIT)
    # when polling runs
    outcome = shipments_poll()
    # then nobody is asked
    assert outcome.polled == 0
    assert not TrackingEvent.objects.exists()
    delivered.refresh_from_db()
    other.refresh_from_db()
    assert delivered.polled_at is None and other.polled_at is None


def test_a_second_poll_later_adds_only_what_happened_since(simulator, time_machine):
    # given a parcel polled on its second day
    time_machine.move_to(NOW - timedelta(days=2), tick=False)
    shipment = sim_shipment(simulator, "customs_duties", shipped_days_ago=4)
    first = shipments_poll()
    # when polled again a day later (past the interval) and once more at once
    time_machine.move_to(NOW, tick=False)
    second = shipments_poll()
    third = shipments_poll()
    # then the second run stores the new events only, the third asks nobody
    shipment.refresh_from_db()
    assert first.stored == 4
    assert second.stored == 1 and second.status_changes == 1
    assert third.polled == 0
    assert shipment.status == S.CUSTOMS_HOLD
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 5


def test_a_failing_carrier_backs_off_doubling_and_recovers(simulator, time_machine, settings):
    settings.SHIPMENTS_POLL_BACKOFF_MINUTES = 5
    settings.SHIPMENTS_POLL_BACKOFF_MAX_MINUTES = 15
    # given a carrier whose answer fails (an outage number) before a healthy parcel
    time_machine.move_to(NOW, tick=False)
    outage = ShipmentFactory(
        carrier=simulator, tracking_number="SIM-OUTAGE-0001", status=S.IN_TRANSIT
    )
    healthy = sim_shipment(simulator, "on_time", 2)
    # when polling runs
    first = shipments_poll()
    # then the carrier is paused five minutes and its batch waits
    simulator.refresh_from_db()
    assert first.paused == {"simulator": NOW + timedelta(minutes=5)}
    assert (simulator.poll_failures, simulator.poll_paused_until) == (1, NOW + timedelta(minutes=5))
    # and while paused, polling leaves the carrier alone
    time_machine.move_to(NOW + timedelta(minutes=4), tick=False)
    assert shipments_poll().polled == 0
    # after the pause a second failure doubles it, a third is capped
    time_machine.move_to(NOW + timedelta(minutes=5), tick=False)
    shipments_poll()
    simulator.refresh_from_db()
    assert simulator.poll_failures == 2
    assert simulator.poll_paused_until == NOW + timedelta(minutes=15)
    time_machine.move_to(NOW + timedelta(minutes=20), tick=False)
    shipments_poll()
    simulator.refresh_from_db()
    assert simulator.poll_paused_until == NOW + timedelta(minutes=35)
    # when the carrier answers again, the count is cleared
    outage.delete()
    time_machine.move_to(NOW + timedelta(minutes=40), tick=False)
    recovered = shipments_poll()
    simulator.refresh_from_db()
    healthy.refresh_from_db()
    assert recovered.polled == 1 and healthy.status == S.DELIVERED
    assert (simulator.poll_failures, simulator.poll_paused_until) == (0, None)


def test_the_batch_bounds_one_run(simulator, time_machine):
    time_machine.move_to(NOW, tick=False)
    for serial in range(5):
        sim_shipment(simulator, "stalled", serial)
    assert shipments_poll(batch=3).polled == 3
    assert shipments_poll(batch=3).polled == 2


def test_the_task_runs_the_poll_and_returns_a_plain_number(simulator, time_machine):
    time_machine.move_to(NOW, tick=False)
    sim_shipment(simulator, "lost", shipped_days_ago=20)
    stored = tasks.shipments_poll.apply().get()
    assert json.loads(json.dumps(stored)) == 5


def test_beat_runs_the_poll(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["shipments-poll"]
    assert entry["task"] == "shipments.tasks.shipments_poll"
    assert entry["schedule"] == settings.SHIPMENTS_POLL_EVERY_SECONDS


def test_a_run_costs_a_bounded_number_of_queries_per_shipment(
    simulator, time_machine, django_assert_max_num_queries
):
    # given ten due parcels of the simulator
    time_machine.move_to(NOW, tick=False)
    for serial in range(10):
        sim_shipment(simulator, "stalled", serial)
    # then the run costs two queries and seven per parcel (the intake's and the stamp)
    with django_assert_max_num_queries(2 + 10 * 7):
        assert shipments_poll().polled == 10
