"""POST /webhooks/tracking/generic/: our own documented format, one event or a batch."""

import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from shipments.models import ShipmentStatus, TrackingEvent
from tests.shipments.factories import ShipmentFactory

pytestmark = pytest.mark.django_db

SECRET = "generic-test-secret"
URL = "/webhooks/tracking/generic/"


def generic_sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def post(client, settings):
    settings.TRACKING_WEBHOOK_SECRET = SECRET

    def post(payload, signature: str | None = "sign"):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = {}
        if signature is not None:
            headers["X-Signature"] = generic_sign(body) if signature == "sign" else signature
        assert reverse("shipments:webhook-generic") == URL
        return client.post(URL, data=body, content_type="application/json", headers=headers)

    return post


def _event(number: str, **overrides) -> dict:
    return {
        "tracking_number": number,
        "carrier": "dhl_express",
        "occurred_at": "2026-01-10T08:30:00+01:00",
        "status": "in_transit",
        "message": "Arrived at hub",
        "location": "Leipzig, DE",
        **overrides,
    }


def test_a_single_event(post):
    shipment = ShipmentFactory(status=ShipmentStatus.PENDING, last_event_at=None)
    response = post(_event(shipment.tracking_number, id="evt-1", estimated_delivery="2026-01-15"))
    assert response.status_code == 200, response.content
    assert response.json()["stored"] == 1
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert str(shipment.revised_estimate) == "2026-01-15"
    event = shipment.events.get()
    assert (event.external_id, event.source, event.location) == ("evt-1", "generic", "Leipzig, DE")


def test_a_batch_stores_each_event_once_and_reports_unknown_numbers(post):
    shipments = ShipmentFactory.create_batch(3)
    events = [_event(s.tracking_number) for s in shipments] + [_event("NOBODY-1")]
    response = post({"events": events})
    assert response.json() == {
        "outcome": "received",
        "stored": 3,
        "duplicates": 0,
        "status_changes": 0,
        "unknown": ["NOBODY-1"],
    }
    assert post({"events": events}).json()["duplicates"] == 3
    assert TrackingEvent.objects.count() == 3


def test_an_unknown_status_is_stored_as_unknown_with_the_raw_code(post):
    shipment = ShipmentFactory()
    post(_event(shipment.tracking_number, status="ZOLL_42"))
    event = TrackingEvent.objects.get()
    assert (event.status, event.raw_status) == (ShipmentStatus.UNKNOWN, "ZOLL_42")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.IN_TRANSIT


def test_a_bad_event_refuses_the_whole_batch_naming_it(post):
    shipment = ShipmentFactory()
    events = [
        _event(shipment.tracking_number),
        _event(shipment.tracking_number, occurred_at="2026-01-10T08:30:00"),
    ]
    response = post({"events": events})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_payload"
    assert "events[1].occurred_at" in response.json()["errors"]
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"events": []}, "events"),
        ({"events": "x"}, "events"),
        ({"events": [_event("A")] * 1001}, "events"),
        ({"events": [7]}, "events[0]"),
        ({"tracking_number": "A", "occurred_at": "2026-01-10T08:30:00Z"}, "status"),
        ({"status": "in_transit", "occurred_at": "2026-01-10T08:30:00Z"}, "tracking_number"),
        (_event("A", estimated_delivery="soon"), "estimated_delivery"),
        (_event("A", message="x" * 501), "message"),
    ],
)
def test_malformed_payloads_are_refused(post, payload, field):
    response = post(payload)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_thousand_events_are_accepted(post):
    shipments = ShipmentFactory.create_batch(10)
    events = [
        _event(s.tracking_number, id=f"{s.pk}-{n}", occurred_at=f"2026-01-10T08:{n % 60:02d}:00Z")
        for s in shipments
        for n in range(100)
    ]
    response = post({"events": events})
    assert response.status_code == 200
    assert response.json()["stored"] == 1000


def test_unsigned_and_wrongly_signed_are_refused(post):
    shipment = ShipmentFactory()
    assert post(_event(shipment.tracking_number), signature=None).status_code == 401
    assert post(_event(shipment.tracking_number), signature="ab" * 32).status_code == 401
    assert post(b"not json", signature=generic_sign(b"nope")).status_code == 401
    assert not TrackingEvent.objects.exists()


def test_a_signed_body_that_is_not_json_is_refused(post):
    response = post(b"not json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"
