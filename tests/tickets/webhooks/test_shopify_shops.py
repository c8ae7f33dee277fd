"""Each shop signs with its own secret: X-Shopify-Shop-Domain is not signed, so the secret
that checks a delivery is the one of the shop that header names."""

import json

import pytest

from tests.tickets.webhooks.conftest import SECRET, sign
from tickets.models import Order, Store, WebhookDelivery

pytestmark = pytest.mark.django_db
ONE, TWO = "one.myshopify.com", "two.myshopify.com"


@pytest.fixture
def shops(db):
    return (
        Store.objects.create(slug="one", shopify_domain=ONE, webhook_secret="secret-of-one"),
        Store.objects.create(slug="eu", shopify_domain=TWO, webhook_secret="secret-of-two"),
    )


def _nothing_stored() -> bool:
    return not Order.objects.exists() and not WebhookDelivery.objects.exists()


def test_a_shop_with_a_store_row_is_checked_against_its_own_secret(deliver, shopify_order, shops):
    # given shop two's order, signed with shop two's secret
    body = json.dumps(shopify_order).encode()
    # when it is delivered with shop two's domain
    response = deliver(body, shop=TWO, signature=sign(body, "secret-of-two"))
    # then it is stored in shop two's store, as its Store row names it
    assert response.status_code == 200, response.content
    assert Order.objects.get().store == "eu"


def test_a_body_signed_by_one_shop_is_refused_under_another_shops_domain(
    deliver, shopify_order, shops
):
    # given a body shop one signed (read off the wire, say)
    body = json.dumps(shopify_order).encode()
    signature = sign(body, "secret-of-one")
    # when it is replayed with shop two's domain in the unsigned header
    response = deliver(body, shop=TWO, signature=signature)
    # then it is refused and nothing lands in shop two's store
    assert (response.status_code, response.json()["code"]) == (401, "invalid_signature")
    assert _nothing_stored()


def test_the_domain_is_matched_in_any_letter_case(deliver, shopify_order, shops):
    body = json.dumps(shopify_order).encode()
    response = deliver(body, shop="ONE.MyShopify.com", signature=sign(body, "secret-of-one"))
    assert response.status_code == 200
    assert Order.objects.get().store == "one"


def test_the_installations_secret_does_not_sign_for_a_shop_with_its_own(
    deliver, shopify_order, shops, shopify_secret
):
    # given SHOPIFY_WEBHOOK_SECRET set (a single-shop install that later added shops)
    body = json.dumps(shopify_order).encode()
    # when a body signed with it comes under shop two's domain, then it is refused
    response = deliver(body, shop=TWO, signature=sign(body, SECRET))
    assert response.status_code == 401
    assert _nothing_stored()


def test_the_installations_secret_still_serves_a_shop_without_a_store_row(
    deliver, shopify_order, shops, shopify_secret
):
    # when the single shop of SHOPIFY_WEBHOOK_SECRET delivers, Store rows of others aside
    response = deliver(shopify_order, shop="johns-apparel.myshopify.com")
    # then its order is stored under its domain's slug, as before
    assert response.status_code == 200
    assert Order.objects.get().store == "johns-apparel"


def test_the_installations_secret_never_writes_into_a_store_rows_slug(
    deliver, shopify_order, shops, shopify_secret
):
    # given a domain that is no Store row's but whose slug is store "one"'s
    body = json.dumps(shopify_order).encode()
    # when a body signed with SHOPIFY_WEBHOOK_SECRET comes under it
    response = deliver(body, shop="one", signature=sign(body, SECRET))
    # then it is refused: only shop one's own secret writes into store one
    assert response.status_code == 401
    assert _nothing_stored()


def test_a_store_row_without_a_secret_refuses_its_shops_deliveries(
    deliver, shopify_order, shopify_secret, caplog
):
    # given a Store row for the domain, left without its secret
    Store.objects.create(slug="johns", shopify_domain="johns-apparel.myshopify.com")
    # when the shop delivers (signed with the installation's secret), then it is refused
    response = deliver(shopify_order, shop="johns-apparel.myshopify.com")
    assert response.status_code == 401
    assert _nothing_stored()
    # and the log says why
    assert "store johns has no webhook secret" in caplog.text
