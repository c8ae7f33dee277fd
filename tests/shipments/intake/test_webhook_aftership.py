"""POST /webhooks/tracking/aftership/ with AfterShip's own sample tracking, wrapped in its
webhook envelope {event, event_id, is_tracking_first_tag, msg, ts} and signed as AfterShip
signs it (aftership-hmac-sha256: base64 HMAC-SHA256 of the body)."""

import base64
import copy
import datetime
import hashlib
import hmac
import json

import pytest
from django.urls import reverse

from shipments.models import IncidentReason, Shipment, ShipmentStatus, TrackingEvent
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.shipments.intake.conftest import fixture_json, ingested

pytestmark = pytest.mark.django_db

SECRET = "aftership-test-secret"
URL = "/webhooks/tracking/aftership/"


def aftership_sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def envelope(tracking: dict, event: str = "tracking_update") -> bytes:
    return json.dumps(
        {
            "event": event,
            "event_id": "c2f6a0b4-8b8e-4a8e-9d1c-1f1c6d2b9a11",
            "is_tracking_first_tag": False,
            "msg": tracking,
            "ts": 1534482646,
        }
    ).encode()


@pytest.fixture
def tracking() -> dict:
    return copy.deepcopy(fixture_json("aftership_get_tracking_result.json")["data"]["tracking"])


@pytest.fixture
def post(client, settings):
    settings.AFTERSHIP_WEBHOOK_SECRET = SECRET

    def post(body: bytes, signature: str | None = "sign"):
        headers = {}
        if signature is not None:
            headers["aftership-hmac-sha256"] = (
                aftership_sign(body) if signature == "sign" else signature
            )
        assert reverse("shipments:webhook-aftership") == URL
        return ingested(
            client.post(URL, data=body, content_type="application/json", headers=headers)
        )

    return post


@pytest.fixture
def shipment():
    return ShipmentFactory(
        tracking_number="111111111111",
        carrier=CarrierFactory(code="fedex", name="FedEx"),
        status=ShipmentStatus.PENDING,
        last_event_at=None,
        delivered_at=None,
    )


def test_the_sample_tracking_is_ingested(post, tracking, shipment):
    response = post(envelope(tracking))
    assert response.status_code == 200, response.content
    assert response.stored == 14
    shipment.refresh_from_db()
    # the last checkpoint is the delivery in Sapporo, at 10:10 Japan time
    assert shipment.status == ShipmentStatus.DELIVERED
    assert shipment.delivered_at == datetime.datetime(2018, 7, 25, 1, 10, tzinfo=datetime.UTC)
    assert shipment.first_scan_at == datetime.datetime(2018, 7, 23, 8, 58, tzinfo=datetime.UTC)
    picked_up = shipment.events.get(message="Picked up")
    assert (picked_up.raw_status, picked_up.location, picked_up.source) == (
        "InTransit/InTransit_002",
        "DONGGUAN CN",
        "aftership",
    )
    # a redelivery changes nothing
    assert post(envelope(tracking)).stored == 0
    assert TrackingEvent.objects.count() == 14


def test_an_estimate_revision_moves_the_revised_estimate(post, tracking, shipment):
    # given the parcel in transit at Narita (the sample's checkpoints up to there)
    tracking["checkpoints"] = tracking["checkpoints"][:10]
    tracking["tag"], tracking["subtag"] = "InTransit", "InTransit_004"
    tracking["latest_estimated_delivery"] = None
    assert post(envelope(tracking)).status_code == 200
    # when AfterShip revises its estimate (edd_revise) with its predicted date
    predicted = fixture_json("aftership_predict_edd_result.json")["data"][
        "estimated_delivery_dates"
    ][0]
    tracking["aftership_estimated_delivery_date"] = {
        "estimated_delivery_date": predicted["estimated_delivery_date"],
        "confidence_score": None,
        "estimated_delivery_date_min": predicted["estimated_delivery_date_min"],
        "estimated_delivery_date_max": predicted["estimated_delivery_date_max"],
    }
    response = post(envelope(tracking, event="edd_revise"))
    # then no event is new, but the estimate is
    assert response.stored == 0
    shipment.refresh_from_db()
    assert shipment.revised_estimate == datetime.date(2021, 7, 5)
    # and AfterShip's latest estimated delivery, when given, wins
    tracking["latest_estimated_delivery"] = {
        "type": "specific",
        "source": "AfterShip EDD",
        "datetime": "2021-07-07T12:00:00+09:00",
        "datetime_min": None,
        "datetime_max": None,
    }
    post(envelope(tracking, event="edd_revise"))
    shipment.refresh_from_db()
    assert shipment.revised_estimate == datetime.date(2021, 7, 7)


def test_subtags_give_customs_holds_and_their_reason(post, tracking, shipment):
    tracking["checkpoints"] = tracking["checkpoints"][:10] + [
        {
            "slug": "fedex",
            "checkpoint_time": "2018-07-24T12:00:00+09:00",
            "message": "Held for duties",
            "location": "NARITA-SHI JP",
            "tag": "Exception",
            "subtag": "Exception_006",
        }
    ]
    post(envelope(tracking))
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CUSTOMS_HOLD
    assert shipment.incident_reason == IncidentReason.CUSTOMS_DUTIES
    assert shipment.customs_state == Shipment.Customs.DUTIES


def test_a_tag_nobody_knows_is_kept_raw_as_unknown(post, tracking, shipment):
    tracking["checkpoints"] = [
        {
            "checkpoint_time": "2018-07-24T12:00:00+09:00",
            "tag": "Teleported",
            "subtag": "Teleported_001",
        }
    ]
    post(envelope(tracking))
    event = TrackingEvent.objects.get()
    assert (event.status, event.raw_status) == (ShipmentStatus.UNKNOWN, "Teleported/Teleported_001")


def test_a_wrong_signature_is_refused(post, tracking, shipment):
    body = envelope(tracking)
    assert post(body, signature=aftership_sign(body, "other")).status_code == 401
    assert post(body, signature=None).status_code == 401
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"event": "tracking_update"}, "msg"),
        ({"event": "tracking_update", "msg": {}}, "msg.tracking_number"),
        ({"msg": {"tracking_number": "1"}}, "event"),
        (
            {"event": "tracking_update", "msg": {"tracking_number": "1", "checkpoints": {}}},
            "msg.checkpoints",
        ),
    ],
)
def test_a_malformed_envelope_is_refused(post, payload, field):
    response = post(json.dumps(payload).encode())
    assert response.status_code == 400
    assert field in response.json()["errors"]
