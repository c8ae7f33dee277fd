"""POST /webhooks/shopify/orders/ with Shopify's own sample order (orders/create body)."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.tickets.webhooks.conftest import SECRET, URL, sign
from tickets.models import Customer, Order, OrderLine, WebhookDelivery

pytestmark = pytest.mark.django_db


def _stored() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Customer, Order, OrderLine, WebhookDelivery)
    }


NOTHING = {"Customer": 0, "Order": 0, "OrderLine": 0, "WebhookDelivery": 0}


def test_a_signed_real_order_creates_the_order_its_lines_and_its_customer(deliver, shopify_order):
    # given Shopify's sample order #1001, serialised once and signed with the shop's secret
    body = json.dumps(shopify_order).encode()
    # when Shopify delivers it as orders/create
    response = deliver(body, webhook_id="wh-1")
    # then the order is stored under the shop's store with its money as Decimal
    assert response.status_code == 200, response.content
    assert response.json() == {"outcome": "created", "order": "1001"}
    order = Order.objects.get()
    assert (order.store, order.number, order.external_id) == ("johns-apparel", "1001", "450789469")
    assert order.placed_at == datetime(2008, 1, 10, 16, 0, tzinfo=UTC)
    assert (order.currency, str(order.shipping_country), order.insured) == ("USD", "US", False)
    assert (order.subtotal, order.tax_total, order.shipping_total, order.total) == (
        Decimal("398.00"),
        Decimal("11.94"),
        Decimal("0.00"),
        Decimal("409.94"),
    )
    # and its three lines
    assert [(x.sku, x.title, x.quantity, x.unit_price) for x in order.lines.all()] == [
        ("IPOD2008GREEN", "IPod Nano - 8gb", 1, Decimal("199.00")),
        ("IPOD2008RED", "IPod Nano - 8gb", 1, Decimal("199.00")),
        ("IPOD2008BLACK", "IPod Nano - 8gb", 1, Decimal("199.00")),
    ]
    # and the customer, matched by email; the sample's US phone 555-625-1199 is not a real
    # number, so it is dropped rather than the order refused
    customer = order.customer
    assert (customer.email, customer.name, str(customer.country)) == (
        "bob.norman@hostmail.com",
        "Bob Norman",
        "US",
    )
    assert (customer.phone, customer.language, customer.timezone) == ("", "en", "UTC")
    # and the delivery is recorded
    delivery = WebhookDelivery.objects.get()
    assert (delivery.webhook_id, delivery.topic, delivery.shop_domain) == (
        "wh-1",
        "orders/create",
        "johns-apparel.myshopify.com",
    )
    assert (delivery.order_number, delivery.outcome) == ("1001", "created")


def test_the_same_delivery_again_changes_nothing(deliver, shopify_order):
    # given a delivery that was stored
    body = json.dumps(shopify_order).encode()
    deliver(body, webhook_id="wh-1")
    before = _stored()
    order = Order.objects.get()
    # when Shopify retries it with the same webhook id
    response = deliver(body, webhook_id="wh-1")
    # then it is acknowledged and nothing is written
    assert response.status_code == 200
    assert response.json() == {"outcome": "duplicate", "order": "1001"}
    assert _stored() == before == {**NOTHING, "Customer": 1, "Order": 1, "OrderLine": 3,
                                   "WebhookDelivery": 1}  # fmt: skip
    fresh = Order.objects.get()
    assert (fresh.updated_at, fresh.customer.updated_at) == (
        order.updated_at,
        order.customer.updated_at,
    )


def test_the_same_order_under_a_new_webhook_id_updates_it(deliver, shopify_order):
    # given order #1001 as created
    deliver(json.dumps(shopify_order).encode(), webhook_id="wh-1")
    # when orders/updated says the first line is now two and the totals grew
    shopify_order["line_items"][0]["quantity"] = 2
    shopify_order.update(subtotal_price="597.00", total_tax="17.91", total_price="614.91")
    response = deliver(shopify_order, webhook_id="wh-2", topic="orders/updated")
    # then the one order is updated, not duplicated
    assert response.json() == {"outcome": "updated", "order": "1001"}
    order = Order.objects.get()
    assert (order.subtotal, order.tax_total, order.total) == (
        Decimal("597.00"),
        Decimal("17.91"),
        Decimal("614.91"),
    )
    assert [x.quantity for x in order.lines.all()] == [2, 1, 1]
    assert _stored() == {"Customer": 1, "Order": 1, "OrderLine": 3, "WebhookDelivery": 2}
    assert WebhookDelivery.objects.get(webhook_id="wh-2").outcome == "updated"


def test_an_update_that_changes_nothing_is_recorded_as_unchanged(deliver, shopify_order):
    # given order #1001 as created
    deliver(shopify_order, webhook_id="wh-1")
    updated_at = Order.objects.get().updated_at
    # when orders/updated brings the same order (e.g. only a note changed at Shopify)
    shopify_order["note"] = "Leave at the door"
    response = deliver(shopify_order, webhook_id="wh-2", topic="orders/updated")
    # then the delivery is recorded, the order is left as it was
    assert response.json() == {"outcome": "unchanged", "order": "1001"}
    assert Order.objects.get().updated_at == updated_at
    assert WebhookDelivery.objects.get(webhook_id="wh-2").outcome == "unchanged"


@pytest.mark.parametrize(
    "signature",
    [
        pytest.param(sign(b"{}"), id="signature-of-another-body"),
        pytest.param("not base64 at all", id="garbage"),
        pytest.param("", id="empty"),
        pytest.param(None, id="missing-header"),
    ],
)
def test_a_delivery_without_a_valid_signature_is_refused(deliver, shopify_order, signature):
    # when a delivery comes with a wrong or missing X-Shopify-Hmac-Sha256
    response = deliver(shopify_order, signature=signature)
    # then it is refused with the one error shape and nothing is stored
    assert response.status_code == 401
    assert response.json() == {
        "detail": "The X-Shopify-Hmac-Sha256 signature is missing or wrong.",
        "code": "invalid_signature",
    }
    assert _stored() == NOTHING


def test_a_delivery_signed_with_another_secret_is_refused(deliver, shopify_order):
    # given a body signed with a secret that is not the shop's
    body = json.dumps(shopify_order).encode()
    # when it is delivered
    response = deliver(body, signature=sign(body, "someone-elses-secret"))
    # then it is refused
    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert _stored() == NOTHING


def test_a_body_changed_after_signing_is_refused(deliver, shopify_order):
    # given a correctly signed body whose total is changed on the way
    body = json.dumps(shopify_order).encode()
    signature = sign(body)
    tampered = body.replace(b'"total_price": "409.94"', b'"total_price": "1.00"')
    assert tampered != body
    # when it arrives
    response = deliver(tampered, signature=signature)
    # then it is refused
    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert _stored() == NOTHING


def test_without_a_secret_every_delivery_is_refused(deliver, shopify_order, settings):
    # given no SHOPIFY_WEBHOOK_SECRET
    settings.SHOPIFY_WEBHOOK_SECRET = ""
    body = json.dumps(shopify_order).encode()
    # when a delivery comes signed with the empty key or with the old secret
    for signature in (sign(body, ""), sign(body, SECRET)):
        response = deliver(body, signature=signature)
        # then it is refused
        assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert _stored() == NOTHING


@pytest.mark.parametrize(
    "body", [b"this is not json", b'["an", "array"]', b"", b'{"total_price": NaN}', b"\xff\xfe"]
)
def test_a_signed_body_that_is_not_a_json_object_is_a_bad_request(deliver, body):
    # when a correctly signed body is not a JSON object
    response = deliver(body)
    # then it is refused with a readable message
    assert response.status_code == 400
    assert response.json() == {"detail": "The body is not a JSON object.", "code": "invalid_json"}
    assert _stored() == NOTHING


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete", "options"])
def test_only_post_is_allowed(client, method):
    # when anything but POST is sent
    response = getattr(client, method)(URL)
    # then the answer is 405 in the one error shape, naming the allowed method
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["code"] == "method_not_allowed"


def test_a_line_with_quantity_zero_is_refused_naming_the_field(deliver, shopify_order):
    # given an order whose second line has quantity 0
    shopify_order["line_items"][1]["quantity"] = 0
    # when it is delivered
    response = deliver(shopify_order)
    # then the payload field is named and nothing is stored
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["errors"])) == ("invalid_order", ["line_items[1].quantity"])
    assert body["detail"] == "The order in this webhook is not valid; see errors."
    assert _stored() == NOTHING


def test_missing_required_fields_are_all_named(deliver, shopify_order):
    # given an order without currency, total, email (anywhere) or a line's price
    for name in ("currency", "total_price", "email"):
        del shopify_order[name]
    del shopify_order["customer"]["email"]
    del shopify_order["line_items"][2]["price"]
    # when it is delivered
    response = deliver(shopify_order)
    # then every missing field is named in the payload's terms and nothing is stored
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "currency": ["This field is required."],
        "total_price": ["This field is required."],
        "line_items[2].price": ["This field is required."],
        "email": ["This field is required."],
    }
    assert _stored() == NOTHING


def test_what_the_model_refuses_is_named_in_the_payloads_terms(deliver, shopify_order):
    # given an order with a negative price, an unknown currency and a bad email
    shopify_order["line_items"][0]["price"] = "-1.00"
    shopify_order["currency"] = "XXY"
    shopify_order["email"] = "not-an-email"
    # when it is delivered
    response = deliver(shopify_order)
    # then each is named as the sender knows it
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"line_items[0].price", "currency", "email"}
    assert _stored() == NOTHING


def test_a_body_over_the_upload_limit_is_too_large(deliver, shopify_order, settings):
    # given a signed body one byte over DATA_UPLOAD_MAX_MEMORY_SIZE
    body = json.dumps(shopify_order).encode()
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = len(body) - 1
    # when it is delivered
    response = deliver(body)
    # then it is refused unread, in the one error shape
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert _stored() == NOTHING


@pytest.mark.parametrize("topic", ["orders/paid", "customers/create", None])
def test_a_topic_other_than_order_create_or_update_is_a_bad_request(deliver, shopify_order, topic):
    # when a signed delivery of another (or no) topic arrives
    response = deliver(shopify_order, topic=topic)
    # then it is refused, so the misregistered subscription shows as failing at Shopify
    assert (response.status_code, response.json()["code"]) == (400, "unsupported_topic")
    assert _stored() == NOTHING


def test_a_delivery_without_a_webhook_id_is_a_bad_request(deliver, shopify_order):
    # when a signed delivery has no X-Shopify-Webhook-Id (it could not be deduplicated)
    response = deliver(shopify_order, webhook_id=None)
    # then it is refused
    assert (response.status_code, response.json()["code"]) == (400, "missing_webhook_id")
    assert _stored() == NOTHING


@pytest.mark.parametrize(
    ("shop", "store"),
    [
        ("johns-apparel.myshopify.com", "johns-apparel"),
        ("Shop.Example.com", "shop-example-com"),
        (None, "shopify"),
    ],
)
def test_the_store_is_the_shop_domain_as_a_slug(deliver, shopify_order, shop, store):
    # when a delivery comes from `shop`
    deliver(shopify_order, shop=shop)
    # then its order belongs to that store
    assert Order.objects.get().store == store


def test_the_same_number_from_two_shops_is_two_orders(deliver, shopify_order):
    # when two shops each deliver their order #1001
    deliver(shopify_order, webhook_id="wh-1", shop="one.myshopify.com")
    deliver(shopify_order, webhook_id="wh-2", shop="two.myshopify.com")
    # then each shop has its own
    assert sorted(Order.objects.values_list("store", "number")) == [
        ("one", "1001"),
        ("two", "1001"),
    ]


@pytest.mark.parametrize(
    ("customer_locale", "language"),
    [("de-DE", "de"), ("zh-CN", "zh-hans"), ("fr", "fr"), ("es-MX", "es"), ("pt-BR", "en")],
)
def test_the_customers_locale_becomes_their_language(
    deliver, shopify_order, customer_locale, language
):
    # given an order placed in the shop's `customer_locale`
    shopify_order["customer_locale"] = customer_locale
    # when it is delivered
    deliver(shopify_order)
    # then the customer gets our language for it, or the default for one we lack
    assert Customer.objects.get().language == language


def test_a_valid_phone_is_stored_in_e164(deliver, shopify_order):
    # given a US shipping address phone written the local way
    shopify_order["shipping_address"]["phone"] = "(502) 625-1199"
    # when the order is delivered
    deliver(shopify_order)
    # then the customer's phone is in international form
    assert Customer.objects.get().phone == "+15026251199"
