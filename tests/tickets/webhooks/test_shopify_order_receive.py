"""The service behind the webhook: the delivery row and the order change, both or neither."""

import pytest

from tickets.models import Customer, Order, WebhookDelivery
from tickets.webhooks import services
from tickets.webhooks.services import shopify_order_receive
from tickets.webhooks.shopify import ShopifyOrderInvalid

pytestmark = pytest.mark.django_db


def _receive(payload, webhook_id="wh-1", topic="orders/create"):
    return shopify_order_receive(
        webhook_id=webhook_id,
        topic=topic,
        shop_domain="shop.myshopify.com",
        store="shop",
        payload=payload,
    )


def test_a_delivery_that_lost_a_race_to_the_same_webhook_id_is_a_duplicate(
    shopify_order, monkeypatch
):
    # given a concurrent delivery of the same webhook id committed between our first look and
    # our write (SQLite cannot run the two at once, so the first look is made to miss it)
    WebhookDelivery.objects.create(
        webhook_id="wh-1", topic="orders/create", order_number="1001", outcome="created"
    )
    looks = iter([None])
    real = services._delivery_received
    monkeypatch.setattr(services, "_delivery_received", lambda wid: next(looks, real(wid)))
    # when ours tries to record itself
    receipt = _receive(shopify_order)
    # then it collides on the webhook id, undoes its order and reports a duplicate
    assert (receipt.outcome, receipt.order_number) == ("duplicate", "1001")
    assert (Order.objects.count(), Customer.objects.count()) == (0, 0)
    assert WebhookDelivery.objects.count() == 1


def test_an_invalid_order_leaves_no_delivery_row(shopify_order):
    # given an order the model refuses
    shopify_order["line_items"][0]["quantity"] = 0
    # when it is received
    with pytest.raises(ShopifyOrderInvalid) as excinfo:
        _receive(shopify_order)
    # then neither the order nor the delivery is stored, so a corrected retry is not a duplicate
    assert list(excinfo.value.errors) == ["line_items[0].quantity"]
    assert (Order.objects.count(), WebhookDelivery.objects.count()) == (0, 0)


def test_a_created_order_is_updated_by_orders_updated(shopify_order):
    # given the order created by orders/create
    _receive(shopify_order)
    # when orders/updated changes a line's title
    shopify_order["line_items"][0]["title"] = "iPod Nano 8 GB"
    receipt = _receive(shopify_order, webhook_id="wh-2", topic="orders/updated")
    # then the order is updated in place
    assert receipt.outcome == "updated"
    assert Order.objects.get().lines.first().title == "iPod Nano 8 GB"
