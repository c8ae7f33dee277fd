"""The simulator plays a script chosen by the tracking number, revealing only what happened by
"now", the same way every time."""

from datetime import UTC, date, datetime, timedelta

import pytest

from shipments.adapters import AdapterError, adapter_for
from shipments.adapters.simulator import (
    SCRIPTS,
    SimulatorAdapter,
    script_for,
    simulate,
    tracking_number_for,
)
from shipments.models import IncidentReason, ShipmentStatus, TrackingEvent

SHIPPED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
S = ShipmentStatus


def statuses(tracking_number: str, *, days: float) -> list[str]:
    events = simulate(tracking_number, shipped_at=SHIPPED, now=SHIPPED + timedelta(days=days))
    return [event.status for event in events]


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_every_script_is_named_by_its_tracking_number(name):
    # given a number made for the script
    number = tracking_number_for(name, 7)
    # then it plays that script, whatever its case
    assert script_for(number).name == name
    assert script_for(number.lower()).name == name
    assert script_for(number + "-R12").name == name


@pytest.mark.parametrize(
    ("name", "days", "last"),
    [
        ("on_time", 30, S.DELIVERED),
        ("late", 10, S.IN_TRANSIT),
        ("late", 30, S.DELIVERED),
        ("customs_documents", 5, S.CUSTOMS_HOLD),
        ("customs_duties", 5, S.CUSTOMS_HOLD),
        ("customs_duties", 30, S.DELIVERED),
        ("stalled", 30, S.IN_TRANSIT),
        ("lost", 10, S.EXCEPTION),
        ("lost", 30, S.LOST),
        ("lost_silent", 60, S.IN_TRANSIT),
        ("delivery_failed", 30, S.DELIVERY_FAILED),
        ("pickup_waiting", 30, S.AVAILABLE_FOR_PICKUP),
        ("return_to_sender", 30, S.RETURN_TO_SENDER),
    ],
)
def test_each_script_stands_where_its_story_says(name, days, last):
    assert statuses(tracking_number_for(name, 1), days=days)[-1] == last


def test_only_the_events_up_to_now_are_revealed_and_more_come_later():
    # given a parcel on time
    number = tracking_number_for("on_time", 1)
    # when asked on the first day and again after delivery
    early = simulate(number, shipped_at=SHIPPED, now=SHIPPED + timedelta(hours=6))
    late = simulate(number, shipped_at=SHIPPED, now=SHIPPED + timedelta(days=5))
    # then the first answer is the start of the second, with the same ids
    assert [e.status for e in early] == [S.INFO_RECEIVED, S.IN_TRANSIT]
    assert late[: len(early)] == early
    assert late[-1].status == S.DELIVERED
    assert all(event.occurred_at <= SHIPPED + timedelta(days=5) for event in late)
    assert len({event.external_id for event in late}) == len(late)


def test_nothing_before_the_parcel_is_shipped_and_nothing_for_an_unknown_number():
    number = tracking_number_for("on_time", 1)
    assert simulate(number, shipped_at=None, now=SHIPPED) == []
    assert simulate(number, shipped_at=SHIPPED, now=SHIPPED - timedelta(minutes=1)) == []
    unknown = tracking_number_for("unknown_tracking", 1)
    assert simulate(unknown, shipped_at=SHIPPED, now=SHIPPED + timedelta(days=90)) == []


def test_customs_holds_say_why_and_a_late_parcel_gets_a_new_estimate():
    documents = simulate(
        tracking_number_for("customs_documents", 1), shipped_at=SHIPPED, now=SHIPPED + 5 * DAY
    )
    duties = simulate(
        tracking_number_for("customs_duties", 1), shipped_at=SHIPPED, now=SHIPPED + 5 * DAY
    )
    late = simulate(tracking_number_for("late", 1), shipped_at=SHIPPED, now=SHIPPED + 5 * DAY)
    assert documents[-1].incident_reason == IncidentReason.CUSTOMS_DOCUMENTS
    assert duties[-1].incident_reason == IncidentReason.CUSTOMS_DUTIES
    assert late[-1].estimate == date(2026, 3, 16)


def test_a_number_without_a_script_draws_one_from_its_hash_the_same_every_time():
    # given ordinary carrier numbers
    numbers = [f"JD0146{n:08d}" for n in range(400)]
    # then each always plays the same script, most of them on time
    drawn = [script_for(number).name for number in numbers]
    assert drawn == [script_for(number).name for number in numbers]
    assert 0.6 < drawn.count("on_time") / len(drawn) < 0.95
    assert len(set(drawn)) > 5


DAY = timedelta(days=1)


def test_the_adapter_is_registered_for_the_simulator_carrier_and_fails_on_an_outage(
    time_machine,
):
    # given the configured adapters
    time_machine.move_to(SHIPPED + 4 * DAY)
    adapter = adapter_for("simulator")
    # then the simulator answers for its carrier, with its own source, and no other carrier has one
    assert isinstance(adapter, SimulatorAdapter)
    assert adapter.source == TrackingEvent.Source.SIMULATOR
    assert adapter_for("dhl_express") is None
    events = adapter.fetch(tracking_number_for("on_time", 1), shipped_at=SHIPPED)
    assert events[-1].status == S.DELIVERED
    # and an outage number raises the adapter's one error
    with pytest.raises(AdapterError):
        adapter.fetch("SIM-OUTAGE-0001", shipped_at=SHIPPED)
