"""Provider webhooks acknowledged at once and stored in batches (shipments/services/
deliveries.py): one task queued per quiet spell, batches of constant cost, nothing left behind,
and the real path through a worker process."""

import json
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shipments.models import ShipmentStatus, TrackingDelivery, TrackingEvent
from shipments.services import deliveries
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.shipments.intake.conftest import fixture_json
from tests.shipments.intake.test_webhook_easypost import URL, easypost_sign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_task_queued_yet():
    cache.delete(deliveries.QUEUED_FLAG)
    yield
    cache.delete(deliveries.QUEUED_FLAG)


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


def test_the_first_delivery_queues_one_task_and_the_next_ones_wait_for_it(
    shipments, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(deliveries.queue, "enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        accept(3, shipments)
    enqueue.assert_called_once_with(
        deliveries.TRACKING_DELIVERIES_INGEST, countdown=deliveries.COUNTDOWN_SECONDS
    )
    assert TrackingDelivery.objects.count() == 3
    assert not TrackingEvent.objects.exists()


def test_a_batch_stores_every_waiting_delivery_and_deletes_it(shipments):
    accept(5, shipments)
    assert deliveries.deliveries_ingest(batch=2) == 5
    assert TrackingEvent.objects.filter(source="easypost").count() == 5
    assert not TrackingDelivery.objects.exists()
    # nothing waits, so the flag is down: the next delivery queues a task again
    assert cache.add(deliveries.QUEUED_FLAG, True)


def test_a_batch_costs_the_same_statements_for_ten_deliveries_as_for_forty(shipments):
    def statements(count: int) -> int:
        accept(count, shipments)
        with CaptureQueriesContext(connection) as captured:
            deliveries.deliveries_ingest()
        assert not TrackingDelivery.objects.exists()
        return len(captured)

    assert statements(10) == statements(40)


def test_a_delivery_that_came_as_the_task_ended_is_taken_by_the_next_task(
    shipments, django_capture_on_commit_callbacks
):
    accept(1, shipments)

    class LateDelivery:
        """The cache, with a delivery arriving just before the task lowers its flag."""

        def add(self, *args, **kwargs):
            return cache.add(*args, **kwargs)

        def delete(self, key):
            accept(1, shipments[1:])  # finds the flag still up: queues nothing itself
            cache.delete(key)

    with (
        mock.patch.object(deliveries, "cache", LateDelivery()),
        mock.patch.object(deliveries.queue, "enqueue") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert deliveries.deliveries_ingest() == 1
    # the late delivery waits, and a task is queued for it
    assert TrackingDelivery.objects.count() == 1
    ingest = mock.call(
        deliveries.TRACKING_DELIVERIES_INGEST, countdown=deliveries.COUNTDOWN_SECONDS
    )
    assert enqueue.call_args_list.count(ingest) == 1


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
