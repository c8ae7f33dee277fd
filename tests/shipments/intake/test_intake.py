"""The one tracking intake: stores each event once, moves shipments forward only, and
writes a batch in a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shipments.models import IncidentReason, Shipment, ShipmentStatus, TrackingEvent
from shipments.services.intake import events_record, tracking_record
from shipments.signals import status_changed
from shipments.tracking import EventIn, TrackingIn
from tests.shipments.factories import CarrierFactory, ShipmentFactory

pytestmark = pytest.mark.django_db


S = ShipmentStatus


def _at(hours: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def _event(status: str, hours: float, **kwargs) -> EventIn:
    return EventIn(occurred_at=_at(hours), status=status, **kwargs)


@pytest.fixture
def changes():
    seen: list = []

    def receiver(sender, changes, **kwargs):
        seen.extend(changes)

    status_changed.connect(receiver, weak=False, dispatch_uid="test-intake")
    yield seen
    status_changed.disconnect(dispatch_uid="test-intake")


def test_events_move_the_shipment_and_send_the_change(changes):
    # given a shipment with its label printed
    shipment = ShipmentFactory(status=S.PENDING, last_event_at=None)
    # when the carrier scans it and it is out for delivery
    result = tracking_record(
        items=[
            TrackingIn(
                tracking_number=shipment.tracking_number,
                carrier=shipment.carrier.code,
                events=(
                    _event(S.IN_TRANSIT, 30, external_id="a", message="Picked up"),
                    _event(S.OUT_FOR_DELIVERY, 2, external_id="b"),
                ),
            )
        ],
        source=TrackingEvent.Source.EASYPOST,
    )
    # then both events are stored and the shipment follows the latest
    assert (result.stored, result.duplicates, result.status_changes) == (2, 0, 1)
    shipment.refresh_from_db()
    assert shipment.status == S.OUT_FOR_DELIVERY
    assert shipment.first_scan_at == _at(30)
    assert shipment.last_event_at == _at(2)
    assert shipment.check_at == timezone.now()
    [change] = changes
    assert (change.previous, change.status, change.shipment_id) == (
        S.PENDING,
        S.OUT_FOR_DELIVERY,
        shipment.pk,
    )
    assert change.event_id == TrackingEvent.objects.get(external_id="b").pk


def test_a_repeated_event_is_stored_once():
    shipment = ShipmentFactory()
    events = (_event(S.IN_TRANSIT, 5, message="Sorted", location="Leipzig"),)
    first = events_record(shipment=shipment, events=events, source="generic")
    again = events_record(shipment=shipment, events=events + events, source="generic")
    assert (first.stored, again.stored, again.duplicates) == (1, 0, 2)
    assert shipment.events.count() == 1
    # the same event from another source is that source's own
    other = events_record(shipment=shipment, events=events, source="api")
    assert other.stored == 1


def test_an_older_event_does_not_move_the_shipment_back(changes):
    shipment = ShipmentFactory(status=S.OUT_FOR_DELIVERY, last_event_at=_at(1))
    result = events_record(
        shipment=shipment, events=(_event(S.IN_TRANSIT, 10),), source="simulator"
    )
    assert result.stored == 1
    shipment.refresh_from_db()
    assert shipment.status == S.OUT_FOR_DELIVERY
    assert shipment.last_event_at == _at(1)
    assert changes == []


def test_a_delivered_shipment_never_moves_back():
    shipment = ShipmentFactory(status=S.DELIVERED, last_event_at=_at(5), delivered_at=_at(5))
    events_record(shipment=shipment, events=(_event(S.EXCEPTION, 1),), source="simulator")
    shipment.refresh_from_db()
    assert shipment.status == S.DELIVERED
    assert shipment.events.get().status == S.EXCEPTION  # stored for the history
    assert shipment.last_event_at == _at(1)


def test_a_late_told_delivery_still_counts():
    shipment = ShipmentFactory(status=S.DELIVERY_FAILED, last_event_at=_at(1))
    events_record(shipment=shipment, events=(_event(S.DELIVERED, 3),), source="simulator")
    shipment.refresh_from_db()
    assert shipment.status == S.DELIVERED
    assert shipment.delivered_at == _at(3)


def test_an_unknown_status_is_kept_raw_and_moves_nothing():
    shipment = ShipmentFactory(status=S.IN_TRANSIT, last_event_at=_at(5))
    events_record(
        shipment=shipment,
        events=(_event(S.UNKNOWN, 1, raw_status="ZZ/weird"),),
        source="generic",
    )
    shipment.refresh_from_db()
    assert shipment.status == S.IN_TRANSIT
    assert shipment.events.get().raw_status == "ZZ/weird"


def test_customs_hold_and_release_are_tracked():
    shipment = ShipmentFactory(status=S.IN_TRANSIT, last_event_at=_at(50))
    events_record(
        shipment=shipment,
        events=(
            _event(S.CUSTOMS_HOLD, 40),
            _event(S.CUSTOMS_HOLD, 30, incident_reason=IncidentReason.CUSTOMS_DUTIES),
        ),
        source="simulator",
    )
    shipment.refresh_from_db()
    assert shipment.customs_state == Shipment.Customs.DUTIES
    assert shipment.customs_since == _at(40)
    assert shipment.incident_reason == IncidentReason.CUSTOMS_DUTIES
    events_record(shipment=shipment, events=(_event(S.IN_TRANSIT, 2),), source="simulator")
    shipment.refresh_from_db()
    assert shipment.customs_state == Shipment.Customs.RELEASED
    assert shipment.incident_reason == ""


def test_a_revised_estimate_is_kept_even_from_a_repeated_event():
    shipment = ShipmentFactory()
    event = _event(S.IN_TRANSIT, 3, external_id="x")
    events_record(shipment=shipment, events=(event,), source="aftership")
    later = datetime.date(2026, 12, 24)
    revised = EventIn(
        occurred_at=event.occurred_at, status=event.status, external_id="x", estimate=later
    )
    result = events_record(shipment=shipment, events=(revised,), source="aftership")
    assert result.duplicates == 1
    shipment.refresh_from_db()
    assert shipment.revised_estimate == later


def test_unknown_tracking_numbers_are_counted_and_store_nothing(caplog):
    result = tracking_record(
        items=[TrackingIn(tracking_number="NOPE1", events=(_event(S.IN_TRANSIT, 1),))],
        source="generic",
    )
    assert result.unknown == ["NOPE1"]
    assert result.stored == 0
    assert not TrackingEvent.objects.exists()
    assert "NOPE1" in caplog.text


def test_the_carrier_tells_two_shipments_of_one_number_apart():
    dhl = ShipmentFactory(tracking_number="SAME1")
    ups = ShipmentFactory(tracking_number="SAME1", carrier=CarrierFactory(code="ups", name="UPS"))
    result = tracking_record(
        items=[
            TrackingIn(tracking_number="SAME1", carrier="ups", events=(_event(S.DELIVERED, 1),)),
            TrackingIn(tracking_number="SAME1", events=(_event(S.DELIVERED, 1),)),
        ],
        source="generic",
    )
    assert result.unknown == ["SAME1"]  # no carrier named: ambiguous
    assert not dhl.events.exists()
    assert ups.events.count() == 1


def _batch(shipments, events_each):
    return [
        TrackingIn(
            tracking_number=shipment.tracking_number,
            carrier=shipment.carrier.code,
            events=tuple(
                _event(S.IN_TRANSIT, 10 - n, message=f"scan {n}") for n in range(events_each)
            ),
        )
        for shipment in shipments
    ]


def _statements(queries) -> int:
    return len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]])


def test_a_batch_takes_the_same_queries_whatever_its_size():
    small = ShipmentFactory.create_batch(2)
    large = ShipmentFactory.create_batch(20)
    with CaptureQueriesContext(connection) as few:
        tracking_record(items=_batch(small, 1), source="generic")
    # (60 events stay inside one INSERT on SQLite too, whose statements bind at most 999 values)
    with CaptureQueriesContext(connection) as many:
        result = tracking_record(items=_batch(large, 3), source="generic")
    assert result.stored == 60
    # lock and read the shipments, look for repeats, insert, update
    assert _statements(many) == _statements(few) == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite splits large inserts")
def test_a_batch_of_a_thousand_events_takes_four_statements_on_postgresql():
    shipments = ShipmentFactory.create_batch(200)
    with CaptureQueriesContext(connection) as queries:
        result = tracking_record(items=_batch(shipments, 5), source="generic")
    assert result.stored == 1000
    assert _statements(queries) == 4
