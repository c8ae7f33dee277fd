"""POST /webhooks/tracking/easypost/ with EasyPost's own sample Event, signed as EasyPost
signs it (X-Hmac-Signature: "hmac-sha256-hex=" + hex HMAC-SHA256, secret NFKD-normalised)."""

import datetime
import hashlib
import hmac
import json
import unicodedata

import pytest
from django.urls import reverse

from shipments.models import Shipment, ShipmentStatus, TrackingDelivery, TrackingEvent
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.shipments.intake.conftest import fixture_bytes, fixture_json, ingested

pytestmark = pytest.mark.django_db

# A secret with a character NFKD changes ("ﬁ" → "fi"), as EasyPost's clients normalise it.
SECRET = "ﬁve-easypost-secret"
URL = "/webhooks/tracking/easypost/"


def easypost_sign(body: bytes, secret: str = SECRET) -> str:
    key = unicodedata.normalize("NFKD", secret).encode("utf8")
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


@pytest.fixture
def post(client, settings):
    settings.EASYPOST_WEBHOOK_SECRET = SECRET

    def post(body: bytes, signature: str | None = "sign"):
        headers = {}
        if signature is not None:
            headers["X-Hmac-Signature"] = easypost_sign(body) if signature == "sign" else signature
        assert reverse("shipments:webhook-easypost") == URL
        return ingested(
            client.post(URL, data=body, content_type="application/json", headers=headers)
        )

    return post


@pytest.fixture
def fedex_shipment():
    # The sample tracker: FedEx tracking code "1"
    return ShipmentFactory(
        tracking_number="1",
        carrier=CarrierFactory(code="fedex", name="FedEx"),
        status=ShipmentStatus.PENDING,
        last_event_at=None,
    )


def test_the_sample_event_is_ingested(post, fedex_shipment):
    # given EasyPost's sample tracker.updated Event, byte for byte
    body = fixture_bytes("easypost_event_tracker_updated_fixture.json")
    # when it is delivered signed
    response = post(body)
    # then it is accepted, and its seven tracking details are stored with the next batch
    assert response.status_code == 200, response.content
    assert response.json() == {"outcome": "accepted"}
    assert response.stored == 7
    assert not TrackingDelivery.objects.exists()
    # and the shipment is in transit
    fedex_shipment.refresh_from_db()
    assert fedex_shipment.status == ShipmentStatus.IN_TRANSIT
    assert fedex_shipment.first_scan_at == datetime.datetime(
        2024, 7, 31, 19, 27, tzinfo=datetime.UTC
    )
    assert fedex_shipment.last_event_at == datetime.datetime(
        2024, 8, 2, 18, 50, tzinfo=datetime.UTC
    )
    assert fedex_shipment.revised_estimate == datetime.date(2024, 8, 5)
    first = fedex_shipment.events.order_by("occurred_at").first()
    assert (first.source, first.status, first.raw_status, first.message) == (
        "easypost",
        ShipmentStatus.PENDING,
        "pre_transit/label_created",
        "Shipment information sent to FedEx",
    )
    assert first.location == "32837, US"
    # and a redelivery of the same event stores nothing more
    assert post(body).stored == 0
    assert TrackingEvent.objects.count() == 7


def test_a_tracker_without_history_records_its_own_status(post, settings):
    # EasyPost's sample Tracker (USPS, pre_transit) wrapped as a tracker.created Event
    shipment = ShipmentFactory(
        tracking_number="EZ1000000001",
        carrier=CarrierFactory(code="usps", name="USPS"),
        status=ShipmentStatus.PENDING,
        last_event_at=None,
    )
    tracker = fixture_json("easypost_tracker_retrieve.json")
    tracker["tracking_details"] = []
    body = json.dumps(
        {"object": "Event", "id": "evt_2", "description": "tracker.created", "result": tracker}
    ).encode()
    assert post(body).status_code == 200
    event = shipment.events.get()
    assert (event.status, event.raw_status) == (ShipmentStatus.PENDING, "pre_transit/status_update")


def test_an_unknown_tracking_number_is_acknowledged_and_stores_nothing(post, caplog):
    body = fixture_bytes("easypost_event_tracker_updated_fixture.json")
    response = post(body)
    assert response.status_code == 200
    assert response.stored == 0
    assert not TrackingEvent.objects.exists()
    assert not TrackingDelivery.objects.exists()
    assert "unknown tracking number" in caplog.text


@pytest.mark.parametrize(
    "signature",
    [None, "", "hmac-sha256-hex=00", "wrong"],
    ids=["missing", "empty", "wrong-digest", "garbage"],
)
def test_unsigned_or_wrongly_signed_events_are_refused(post, fedex_shipment, signature):
    body = fixture_bytes("easypost_event_tracker_updated_fixture.json")
    response = post(body, signature=signature)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"
    assert not TrackingEvent.objects.exists()
    assert not TrackingDelivery.objects.exists()


def test_the_secret_is_normalised_as_easypost_does(post, fedex_shipment):
    body = fixture_bytes("easypost_event_tracker_updated_fixture.json")
    # signed with the secret as typed, without NFKD: not what EasyPost sends
    raw_key = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert post(body, signature="hmac-sha256-hex=" + raw_key).status_code == 401


def test_without_a_secret_every_event_is_refused(client, settings):
    settings.EASYPOST_WEBHOOK_SECRET = ""
    body = fixture_bytes("easypost_event_tracker_updated_fixture.json")
    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={"X-Hmac-Signature": easypost_sign(body, "")},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (b"not json", "invalid_json", None),
        (b"[1, 2]", "invalid_json", None),
        (b'{"description": "tracker.updated", "result": []}', "invalid_payload", "result"),
        (
            b'{"description": "tracker.updated", "result": {}}',
            "invalid_payload",
            "result.tracking_code",
        ),
        (
            b'{"description": "tracker.updated", "result": {"tracking_code": "1", '
            b'"tracking_details": [{"status": "in_transit", "datetime": "yesterday"}]}}',
            "invalid_payload",
            "result.tracking_details[0].datetime",
        ),
    ],
)
def test_malformed_events_are_refused_and_change_nothing(post, fedex_shipment, body, code, field):
    response = post(body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    if field:
        assert field in response.json()["errors"]
    assert not TrackingEvent.objects.exists()
    assert not TrackingDelivery.objects.exists()
    assert Shipment.objects.get().status == ShipmentStatus.PENDING


def test_other_events_are_acknowledged_and_ignored(post):
    body = json.dumps({"object": "Event", "description": "batch.created", "result": {}}).encode()
    response = post(body)
    assert response.status_code == 200
    assert response.json() == {"outcome": "ignored"}
    assert not TrackingDelivery.objects.exists()


def test_only_post_is_accepted(client):
    assert client.get(URL).status_code == 405
