"""/api/v1/shipments/: list (filters, keyset pages), create, detail with events, and adding
events for carriers without a webhook."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from shipments.models import Shipment, ShipmentStatus, TrackingEvent
from tests.shipments.factories import CarrierFactory, ShipmentFactory, TrackingEventFactory
from tests.tickets.factories import OrderFactory, UserFactory, agent
from tickets.services.api_keys import api_key_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/shipments/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _client(user, scope="write") -> APIClient:
    client = APIClient()
    key = api_key_create(name="Shop", scope=scope, actor=None, user=user)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def api():
    return _client(agent(username="ana"))


def test_the_list_filters_and_pages_by_cursor(api):
    dhl = ShipmentFactory.create_batch(3, status=ShipmentStatus.IN_TRANSIT)
    ups = ShipmentFactory(
        carrier=CarrierFactory(code="ups", name="UPS"), status=ShipmentStatus.DELIVERED
    )
    # filters
    assert [r["id"] for r in api.get(URL, {"carrier": "ups"}).json()["results"]] == [ups.pk]
    assert [r["id"] for r in api.get(URL, {"status": "delivered"}).json()["results"]] == [ups.pk]
    found = api.get(URL, {"tracking_number": dhl[0].tracking_number}).json()["results"]
    assert [r["id"] for r in found] == [dhl[0].pk]
    by_order = api.get(URL, {"order": dhl[1].order.number}).json()["results"]
    assert [r["id"] for r in by_order] == [dhl[1].pk]
    assert api.get(URL, {"status": "teleported"}).status_code == 400
    # keyset pages, newest first
    first = api.get(URL, {"page_size": 2}).json()
    assert "cursor=" in first["next"]
    second = api.get(first["next"]).json()
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert ids == [
        s.pk for s in sorted([*dhl, ups], key=lambda s: (s.created_at, s.pk), reverse=True)
    ]
    row = first["results"][0]
    assert {"tracking_number", "tracking_url", "carrier", "order", "status"} <= set(row)
    assert row["carrier"] == {"code": "ups", "name": "UPS"}


def test_a_list_page_takes_the_same_queries_whatever_its_length(api):
    ShipmentFactory.create_batch(2)
    api.get(URL)  # the key's first use of the day is recorded once
    with CaptureQueriesContext(connection) as few:
        assert api.get(URL).status_code == 200
    ShipmentFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(URL).json()["results"]) == 22
    assert len(many) == len(few)


def test_the_detail_shows_the_events_oldest_first(api):
    shipment = ShipmentFactory()
    late = TrackingEventFactory(shipment=shipment, status=ShipmentStatus.OUT_FOR_DELIVERY)
    early = TrackingEventFactory(
        shipment=shipment, occurred_at=late.occurred_at - datetime.timedelta(days=1)
    )
    body = api.get(f"{URL}{shipment.pk}/").json()
    assert [e["id"] for e in body["events"]] == [early.pk, late.pk]
    assert (
        body["tracking_url"] == f"https://www.dhl.com/track?tracking-id={shipment.tracking_number}"
    )
    assert api.get(f"{URL}999999/").status_code == 404
    assert api.get(f"{URL}abc/").status_code == 404


def test_create_a_shipment(api):
    order = OrderFactory(number="1042", shipping_country="FR", currency="EUR")
    response = api.post(
        URL,
        {
            "order_number": "1042",
            "carrier": "DHL Express",
            "tracking_number": "JD014600006281230",
            "service_level": "expedited",
            "origin_country": "DE",
            "shipped_at": "2026-03-02T09:00:00+01:00",
            "promised_delivery_date": "2026-03-06",
            "insured_value": "120.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    shipment = Shipment.objects.get()
    assert body["id"] == shipment.pk
    assert (shipment.order, shipment.carrier.code, shipment.service_level) == (
        order,
        "dhl_express",
        "expedited",
    )
    assert (str(shipment.destination_country), shipment.insured, body["insured_value"]) == (
        "FR",
        True,
        "120.00",
    )
    assert body["insured_currency"] == "EUR"
    assert body["events"] == []
    # the same tracking number of the same carrier again is a conflict
    again = api.post(
        URL,
        {"order_number": "1042", "carrier": "dhl_express", "tracking_number": "JD014600006281230"},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "shipment_exists"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"carrier": "ups", "tracking_number": "1Z"}, "order_number"),
        ({"order_number": "nope", "carrier": "ups", "tracking_number": "1Z"}, "order_number"),
        ({"order_number": "1042", "tracking_number": "1Z"}, "carrier"),
        ({"order_number": "1042", "carrier": "ups", "tracking_number": ""}, "tracking_number"),
        (
            {
                "order_number": "1042",
                "carrier": "ups",
                "tracking_number": "1Z",
                "direction": "sideways",
            },
            "direction",
        ),
        (
            {
                "order_number": "1042",
                "carrier": "ups",
                "tracking_number": "1Z",
                "origin_country": "XX",
            },
            "origin_country",
        ),
        (
            {
                "order_number": "1042",
                "carrier": "ups",
                "tracking_number": "1Z",
                "shipped_at": "2026-03-02T09:00:00",
            },
            "shipped_at",
        ),
        (
            {
                "order_number": "1042",
                "carrier": "ups",
                "tracking_number": "1Z",
                "insured_value": 12.5,
            },
            "insured_value",
        ),
        (
            {
                "order_number": "1042",
                "carrier": "ups",
                "tracking_number": "1Z",
                "insured_value": "-1",
            },
            "insured_value",
        ),
    ],
)
def test_a_bad_shipment_is_refused_naming_the_field(api, body, field):
    OrderFactory(number="1042")
    response = api.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Shipment.objects.exists()


def test_a_read_key_or_a_user_without_the_permission_may_not_create(api):
    OrderFactory(number="1042")
    body = {"order_number": "1042", "carrier": "ups", "tracking_number": "1Z"}
    assert (
        _client(agent(username="rita"), scope="read").post(URL, body, format="json").status_code
        == 403
    )
    assert _client(UserFactory(username="nobody")).get(URL).status_code == 403
    assert APIClient().get(URL).status_code == 401


def test_add_events(api):
    shipment = ShipmentFactory(status=ShipmentStatus.IN_TRANSIT, last_event_at=None)
    event = {
        "occurred_at": "2026-03-03T06:40:00+01:00",
        "status": "customs_hold",
        "incident_reason": "customs_documents",
        "carrier_code": "CD",
        "message": "Held by customs: commercial invoice required",
        "location": "Paris, FR",
    }
    response = api.post(f"{URL}{shipment.pk}/events/", event, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "stored": 1,
        "duplicates": 0,
        "status_changes": 1,
        "status": "customs_hold",
    }
    stored = TrackingEvent.objects.get()
    assert (stored.source, stored.raw_status, stored.incident_reason) == (
        "api",
        "CD",
        "customs_documents",
    )
    shipment.refresh_from_db()
    assert shipment.customs_state == Shipment.Customs.DOCUMENTS
    # the same event again, in a batch with a new one
    later = {"occurred_at": "2026-03-05T10:00:00+01:00", "status": "delivered"}
    response = api.post(f"{URL}{shipment.pk}/events/", {"events": [event, later]}, format="json")
    assert response.json() == {
        "stored": 1,
        "duplicates": 1,
        "status_changes": 1,
        "status": "delivered",
    }
    assert api.post(f"{URL}{shipment.pk}/events/", event, format="json").status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "occurred_at"),
        ({"occurred_at": "2026-03-03T06:40:00+01:00", "status": "teleported"}, "status"),
        ({"occurred_at": "2026-03-03T06:40:00", "status": "delivered"}, "occurred_at"),
        (
            {"occurred_at": "2026-03-03T06:40:00Z", "status": "delivered", "message": "x" * 501},
            "message",
        ),
        ({"events": []}, "events"),
        (
            {
                "events": [
                    {"occurred_at": "2026-03-03T06:40:00Z", "status": "delivered"},
                    {"status": "lost"},
                ]
            },
            "events[1].occurred_at",
        ),
    ],
)
def test_bad_events_are_refused_and_none_stored(api, body, field):
    shipment = ShipmentFactory()
    response = api.post(f"{URL}{shipment.pk}/events/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not TrackingEvent.objects.exists()
