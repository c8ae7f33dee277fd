"""orders/updated with Shopify's sample order: line ids kept, out-of-order and replayed
deliveries ignored as stale, discounts stored, a customer change of an order with cases
refused."""

import json
import logging
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.tickets.factories import CaseFactory
from tests.tickets.webhooks.conftest import FIXTURES
from tickets.models import Customer, Order, OrderLine, WebhookDelivery

pytestmark = pytest.mark.django_db
# The sample's updated_at is 2008-01-10T11:00:00-05:00.
SAMPLE_UPDATED = datetime(2008, 1, 10, 16, 0, tzinfo=UTC)


def _lines() -> list[tuple]:
    return list(OrderLine.objects.values_list("pk", "external_id", "sku", "quantity"))


def test_the_shops_updated_at_and_line_ids_are_stored(deliver, shopify_order):
    # when the sample order is created
    deliver(shopify_order, webhook_id="wh-1")
    # then the order keeps Shopify's updated_at, each line Shopify's line id
    order = Order.objects.get()
    assert order.shop_updated_at == SAMPLE_UPDATED
    assert [(ext, sku) for _pk, ext, sku, _q in _lines()] == [
        ("466157049", "IPOD2008GREEN"),
        ("518995019", "IPOD2008RED"),
        ("703073504", "IPOD2008BLACK"),
    ]
    # and the delivery notes the version it carried
    assert WebhookDelivery.objects.get().order_updated_at == SAMPLE_UPDATED


def test_lines_keep_their_ids_when_shopify_reorders_and_renames_them(deliver, shopify_order):
    # given the sample order
    deliver(shopify_order, webhook_id="wh-1")
    before = {ext: pk for pk, ext, _sku, _q in _lines()}
    # when orders/updated lists the black one first, with a new SKU, and two green ones
    black = {**shopify_order["line_items"][2], "sku": "IPOD2008BLK"}
    green = {**shopify_order["line_items"][0], "quantity": 2}
    shopify_order["line_items"] = [black, green, shopify_order["line_items"][1]]
    shopify_order["updated_at"] = "2008-01-10T12:00:00-05:00"
    response = deliver(shopify_order, webhook_id="wh-2", topic="orders/updated")
    # then every line is the row it was, changed in place
    assert response.json()["outcome"] == "updated"
    assert sorted(_lines()) == sorted(
        [
            (before["703073504"], "703073504", "IPOD2008BLK", 1),
            (before["466157049"], "466157049", "IPOD2008GREEN", 2),
            (before["518995019"], "518995019", "IPOD2008RED", 1),
        ]
    )


def test_a_refund_finds_the_lines_by_shopifys_line_id(deliver, shopify_order):
    # given the sample order stored, and Shopify's sample refund of two of its lines
    deliver(shopify_order, webhook_id="wh-1")
    refund = json.loads((FIXTURES / "shopify_refund.json").read_text())["refund"]
    # when the refund's line_item_id values are looked up
    ids = [str(item["line_item_id"]) for item in refund["refund_line_items"]]
    found = OrderLine.objects.filter(
        order__external_id=str(refund["order_id"]), external_id__in=ids
    )
    # then they are the black and green lines, as stored
    assert sorted(found.values_list("sku", flat=True)) == ["IPOD2008BLACK", "IPOD2008GREEN"]


def test_an_older_delivery_is_acknowledged_and_ignored_as_stale(deliver, shopify_order):
    # given the order as Shopify changed it at 12:00 (-05:00): two green iPods
    updated = json.loads(json.dumps(shopify_order))
    updated["line_items"][0]["quantity"] = 2
    updated.update(updated_at="2008-01-10T12:00:00-05:00", total_price="608.94")
    deliver(updated, webhook_id="wh-2", topic="orders/updated")
    # when the orders/create of 11:00 arrives after it (Shopify retries with the first body)
    response = deliver(shopify_order, webhook_id="wh-1", topic="orders/create")
    # then it is acknowledged, so Shopify stops retrying, and changes nothing
    assert response.status_code == 200
    body = response.json()
    assert (body["outcome"], body["order"]) == ("stale", "1001")
    assert "ignored" in body["detail"]
    order = Order.objects.get()
    assert (order.total, order.lines.first().quantity) == (Decimal("608.94"), 2)
    # and it is recorded as stale, with the version it carried
    stale = WebhookDelivery.objects.get(webhook_id="wh-1")
    assert (stale.outcome, stale.order_updated_at) == ("stale", SAMPLE_UPDATED)


def test_a_replayed_update_never_rolls_the_order_back(deliver, shopify_order):
    # given orders/updated of 12:00 and then of 13:00
    first = {**shopify_order, "updated_at": "2008-01-10T12:00:00-05:00", "total_price": "1.00"}
    deliver(first, webhook_id="wh-2", topic="orders/updated")
    second = {**shopify_order, "updated_at": "2008-01-10T13:00:00-05:00", "total_price": "2.00"}
    deliver(second, webhook_id="wh-3", topic="orders/updated")
    # when the 12:00 one is replayed under a new webhook id
    response = deliver(first, webhook_id="wh-4", topic="orders/updated")
    # then the 13:00 version stays
    assert response.json()["outcome"] == "stale"
    assert Order.objects.get().total == Decimal("2.00")


def test_a_change_of_customer_on_an_order_with_cases_is_acknowledged_and_refused(
    deliver, shopify_order
):
    # given the sample order of Bob, with a case about it
    deliver(shopify_order, webhook_id="wh-1")
    order = Order.objects.get()
    CaseFactory(customer=order.customer, order=order)
    # when orders/updated names another customer
    shopify_order.update(email="alice@example.com", updated_at="2008-01-10T12:00:00-05:00")
    shopify_order["customer"]["email"] = "alice@example.com"
    response = deliver(shopify_order, webhook_id="wh-2", topic="orders/updated")
    # then it is acknowledged (a retry could not change the answer) and refused with a reason
    assert response.status_code == 200
    reason = (
        "Order 1001 has support cases, so it stays with its customer bob.norman@hostmail.com; "
        "it cannot move to another customer."
    )
    assert response.json() == {"outcome": "refused", "order": "1001", "detail": reason}
    delivery = WebhookDelivery.objects.get(webhook_id="wh-2")
    assert (delivery.outcome, delivery.detail) == ("refused", reason)
    # and nothing changed: the order is Bob's, no customer was added
    assert Order.objects.get().customer.email == "bob.norman@hostmail.com"
    assert Customer.objects.count() == 1
    # and Shopify's retry of it is a duplicate
    again = deliver(shopify_order, webhook_id="wh-2", topic="orders/updated")
    assert again.json()["outcome"] == "duplicate"


def test_discount_allocations_and_discounted_shipping_are_stored(deliver, shopify_order):
    # given the sample order with its TENOFF code allocated to the green iPod, 10% off the
    # red one and a shipping line of 10.00 whose discount took 4.00 off
    shopify_order["line_items"][0]["discount_allocations"] = [
        {"amount": "10.00", "discount_application_index": 0}
    ]
    shopify_order["line_items"][1]["discount_allocations"] = [
        {"amount": "19.90", "discount_application_index": 1}
    ]
    shopify_order["shipping_lines"] = [
        {
            "code": "Standard",
            "price": "10.00",
            "discounted_price": "6.00",
            "discount_allocations": [{"amount": "4.00", "discount_application_index": 2}],
        }
    ]
    shopify_order.update(subtotal_price="368.10", total_price="386.04")
    # when it is delivered
    response = deliver(shopify_order)
    # then each line's discount and its total after it are stored
    assert response.status_code == 200, response.content
    assert list(OrderLine.objects.values_list("sku", "discount", "total")) == [
        ("IPOD2008GREEN", Decimal("10.000"), Decimal("189.000")),
        ("IPOD2008RED", Decimal("19.900"), Decimal("179.100")),
        ("IPOD2008BLACK", Decimal("0.000"), Decimal("199.000")),
    ]
    # and the shipping charged after its discount, and the discount
    order = Order.objects.get()
    assert (order.shipping_total, order.shipping_discount) == (Decimal("6.00"), Decimal("4.00"))
    assert order.subtotal == Decimal("368.10")


def test_a_national_phone_is_read_in_its_address_country(deliver, shopify_order):
    # given a German shipping address with the phone as Germans write it
    shopify_order["shipping_address"].update(country_code="DE", phone="0151 23456789")
    # when the order is delivered, then the customer's phone is stored in E.164
    deliver(shopify_order)
    assert Customer.objects.get().phone == "+4915123456789"


def test_an_unreadable_phone_is_dropped_with_a_log_line(deliver, shopify_order, caplog):
    # given the sample's phones: 555-625-1199 is no US number
    caplog.set_level(logging.INFO, logger="tickets.webhooks.shopify")
    # when the order is delivered
    response = deliver(shopify_order)
    # then the order is stored without the phone, and the log says so (without the number)
    assert response.status_code == 200
    assert Customer.objects.get().phone == ""
    assert "Shopify order #1001: no valid phone number" in caplog.text
    assert "555-625-1199" not in caplog.text
