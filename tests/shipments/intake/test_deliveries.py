"""Provider webhooks acknowledged at once and stored in batches (shipments/services/
deliveries.py): one task queued per quiet spell, batches of constant cost, nothing left behind,
and the real path through a worker process."""

import json
import time
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shipments.models import ShipmentStatus, TrackingDelivery, TrackingEvent
from shipments.services import deliveries
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.shipments.intake.conftest import fixture_json
from tests.shipments.intake.test_webhook_easypost import URL, easypost_sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_task_queued_yet(monkeypatch):
    monkeypatch.setattr(deliveries, "_next_queue_at", 0.0)


def tracker_event(number: str, sequence: int, status: str = "in_transit") -> bytes:
    """EasyPost's sample Event, for tracking number `number`, with one detail of its own."""
    event = fixture_json("easypost_event_tracker_updated_fixture.json")
    tracker = event["result"]
    tracker["tracking_code"] = number
    detail = dict(tracker["tracking_details"][-1])
    detail.update(status=status, message=f"Scan {sequence}")
    detail["datetime"] = f"2024-08-03T{sequence % 24:02d}:00:00Z"
    tracker["tracking_details"] = [detail]
    return json.dumps(event).encode()


@pytest.fixture
def shipments():
    fedex = CarrierFactory(code="fedex", name="FedEx")
    return [
        ShipmentFactory(
            tracking_number=f"7700{k}",
            carrier=fedex,
            status=ShipmentStatus.PENDING,
            last_event_at=None,
        )  # fmt: skip
        for k in range(40)
    ]


def accept(count: int, shipments) -> None:
    for k in range(count):
        number = shipments[k % len(shipments)].tracking_number
        deliveries.delivery_accept(source="easypost", body=tracker_event(number, k))


def test_a_web_process_queues_the_task_once_a_window_to_run_after_it(
    shipments, django_capture_on_commit_callbacks
):
    clock = iter([100.0, 100.4, 100.9, 101.0])
    with (
        mock.patch.object(deliveries, "monotonic", lambda: next(clock)),
        mock.patch.object(deliveries.queue, "enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        accept(4, shipments)
    # the first delivery queues the task for two windows later; the next two, in its window,
    # wait for it; the fourth opens the next window
    ingest = mock.call(
        deliveries.TRACKING_DELIVERIES_INGEST, countdown=2 * deliveries.WINDOW_SECONDS
    )
    assert enqueue.call_args_list == [ingest, ingest]
    assert TrackingDelivery.objects.count() == 4
    assert not TrackingEvent.objects.exists()


def test_a_batch_stores_every_waiting_delivery_and_deletes_it(shipments):
    accept(5, shipments)
    with mock.patch.object(deliveries.queue, "enqueue") as enqueue:
        assert deliveries.deliveries_ingest(batch=2) == 5
    assert TrackingEvent.objects.filter(source="easypost").count() == 5
    assert not TrackingDelivery.objects.exists()
    enqueue.assert_not_called()


def test_a_batch_costs_the_same_statements_for_ten_deliveries_as_for_forty(shipments):
    def statements(count: int) -> int:
        accept(count, shipments)
        with CaptureQueriesContext(connection) as captured:
            deliveries.deliveries_ingest()
        assert not TrackingDelivery.objects.exists()
        return len(captured)

    assert statements(10) == statements(40)


def test_a_task_out_of_time_queues_the_next_for_the_rest(shipments):
    accept(3, shipments)
    with mock.patch.object(deliveries.queue, "enqueue") as enqueue:
        assert deliveries.deliveries_ingest(batch=2, seconds=0.0) == 0
    assert TrackingDelivery.objects.count() == 3
    enqueue.assert_called_once_with(deliveries.TRACKING_DELIVERIES_INGEST)


def test_a_delivery_no_reader_accepts_any_more_is_dropped_and_logged(shipments, caplog):
    TrackingDelivery.objects.create(
        source="easypost", body='{"description": "tracker.updated", "result": []}'
    )
    accept(1, shipments)
    assert deliveries.deliveries_ingest() == 1
    assert not TrackingDelivery.objects.exists()
    assert "dropped" in caplog.text


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_stores_what_the_webhook_accepted(client, settings, worker, tmp_path):
    # given a shipment, and a real worker process on the test database and its own broker
    settings.EASYPOST_WEBHOOK_SECRET = "worker-test-secret"
    shipment = ShipmentFactory(
        tracking_number="WORKER1", carrier=CarrierFactory(code="fedex", name="FedEx"),
        status=ShipmentStatus.PENDING, last_event_at=None,
    )  # fmt: skip
    # when EasyPost delivers an event
    body = tracker_event("WORKER1", 1)
    response = client.post(
        URL, data=body, content_type="application/json",
        headers={"X-Hmac-Signature": easypost_sign(body, "worker-test-secret")},
    )  # fmt: skip
    assert response.json() == {"outcome": "accepted"}
    # then the worker, not this process, stores it and clears the delivery
    deadline = time.monotonic() + 60
    while TrackingDelivery.objects.exists() or not TrackingEvent.objects.exists():
        if time.monotonic() > deadline:
            pytest.fail("not stored after 60 s:\n" + (tmp_path / "worker.log").read_text())
        time.sleep(0.25)
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
