"""Shopify fulfilments (in order payloads, and the fulfillments/create and
fulfillments/update webhooks) create and update outbound shipments through the spine's
order_fulfillments signal."""

import copy
import json

import pytest

from shipments.models import Carrier, Shipment, ShipmentStatus, TrackingEvent
from tests.shipments.intake.conftest import fixture_json
from tests.tickets.webhooks.conftest import SECRET, URL, sign
from tickets.models import WebhookDelivery

pytestmark = pytest.mark.django_db

SHOP = "johns-apparel.myshopify.com"


@pytest.fixture
def post(client, settings, django_capture_on_commit_callbacks):
    settings.SHOPIFY_WEBHOOK_SECRET = SECRET

    def post(payload: dict, *, topic: str, webhook_id: str, signature: str | None = None):
        raw = json.dumps(payload).encode()
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                URL,
                data=raw,
                content_type="application/json",
                headers={
                    "X-Shopify-Hmac-Sha256": signature if signature is not None else sign(raw),
                    "X-Shopify-Webhook-Id": webhook_id,
                    "X-Shopify-Topic": topic,
                    "X-Shopify-Shop-Domain": SHOP,
                },
            )

    return post


@pytest.fixture
def order_payload() -> dict:
    return copy.deepcopy(fixture_json("shopify_order.json")["order"])


def test_a_failed_fulfilment_in_an_order_creates_no_shipment(post, order_payload):
    # Shopify's sample order carries one fulfilment whose request failed ("failure")
    response = post(order_payload, topic="orders/create", webhook_id="o-1")
    assert response.status_code == 200, response.content
    assert not Shipment.objects.exists()


def test_an_order_with_a_fulfilment_creates_its_shipment_once(post, order_payload):
    # given the sample order whose fulfilment went through (status success, shipped)
    order_payload["fulfillments"][0]["status"] = "success"
    order_payload["fulfillments"][0]["shipment_status"] = "in_transit"
    # when Shopify delivers it, then updates the order without changing the fulfilment
    assert post(order_payload, topic="orders/create", webhook_id="o-1").status_code == 200
    order_payload["updated_at"] = "2014-01-23T15:58:27-05:00"
    assert post(order_payload, topic="orders/updated", webhook_id="o-2").status_code == 200
    # then one shipment: UPS guessed from the tracking URL (no tracking_company), with its URL
    shipment = Shipment.objects.get()
    assert (shipment.tracking_number, shipment.carrier.code, shipment.external_id) == (
        "1Z2345",
        "ups",
        "255858046",
    )
    assert shipment.order.number == "1001"
    assert shipment.tracking_link.startswith("http://wwwapps.ups.com/etracking/")
    assert shipment.direction == Shipment.Direction.OUTBOUND
    assert str(shipment.destination_country) == "US"
    # and its Shopify status is one event
    assert shipment.status == ShipmentStatus.IN_TRANSIT
    event = TrackingEvent.objects.get()
    assert (event.source, event.raw_status) == ("shopify", "in_transit")


def test_fulfilment_webhooks_create_and_update_the_shipment(post, order_payload):
    post(order_payload, topic="orders/create", webhook_id="o-1")
    fulfilment = fixture_json("shopify_fulfillment.json")["fulfillment"]
    # when Shopify sends its sample fulfillments/create (tracking company "null-company")
    response = post(fulfilment, topic="fulfillments/create", webhook_id="f-1")
    # then the carrier is created from its name and the shipment made
    assert response.status_code == 200, response.content
    assert response.json() == {"outcome": "updated", "order": "1001"}
    shipment = Shipment.objects.get()
    assert shipment.carrier == Carrier.objects.get(code="null_company")
    assert shipment.tracking_url == "http://www.google.com/search?q=1Z2345"
    # when the fulfilment is cancelled (fulfillments/update)
    fulfilment["status"] = "cancelled"
    fulfilment["updated_at"] = "2013-11-02T10:00:00-04:00"
    assert post(fulfilment, topic="fulfillments/update", webhook_id="f-2").status_code == 200
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.CANCELLED
    # and a redelivery changes nothing
    again = post(fulfilment, topic="fulfillments/update", webhook_id="f-2")
    assert again.json()["outcome"] == "duplicate"
    assert TrackingEvent.objects.count() == 1


def test_a_fulfilment_of_an_unknown_order_is_acknowledged_and_recorded(post):
    fulfilment = fixture_json("shopify_fulfillment.json")["fulfillment"]
    response = post(fulfilment, topic="fulfillments/create", webhook_id="f-1")
    assert response.status_code == 200
    assert response.json()["outcome"] == "unchanged"
    assert "450789469" in response.json()["detail"]
    assert WebhookDelivery.objects.get().outcome == "unchanged"
    assert not Shipment.objects.exists()


def test_a_fulfilment_without_order_id_is_refused(post):
    fulfilment = fixture_json("shopify_fulfillment.json")["fulfillment"]
    del fulfilment["order_id"]
    response = post(fulfilment, topic="fulfillments/create", webhook_id="f-1")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_fulfillment"
    assert not WebhookDelivery.objects.exists()


def test_a_wrongly_signed_fulfilment_changes_nothing(post):
    fulfilment = fixture_json("shopify_fulfillment.json")["fulfillment"]
    response = post(fulfilment, topic="fulfillments/create", webhook_id="f-1", signature="x")
    assert response.status_code == 401
    assert not WebhookDelivery.objects.exists()
