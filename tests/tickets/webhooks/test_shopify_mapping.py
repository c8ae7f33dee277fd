"""The pure part of the Shopify webhook: payload → OrderData, locale, phone and store."""

from decimal import Decimal

import pytest

from tickets.webhooks.payloads import PayloadNotJson
from tickets.webhooks.shopify import (
    ShopifyOrderInvalid,
    language_for_locale,
    order_data_from_payload,
    payload_parse,
    phone_e164,
    store_for_shop,
)


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("de-DE", "de"),
        ("de-CH", "de"),
        ("fr-CA", "fr"),
        ("es", "es"),
        ("zh-CN", "zh-hans"),
        ("zh", "zh-hans"),
        ("zh-Hans-HK", "zh-hans"),
        ("zh_CN", "zh-hans"),
        ("zh-TW", ""),
        ("zh-Hant", ""),
        ("pt-BR", ""),
        ("", ""),
        (None, ""),
        (42, ""),
    ],
)
def test_customer_locale_maps_to_one_of_our_languages_or_none(locale, language):
    assert language_for_locale(locale) == language


@pytest.mark.parametrize(
    ("number", "region", "e164"),
    [
        ("555-625-1199", "US", ""),  # Shopify's sample: 555 is no US area code
        ("(502) 625-1199", "US", "+15026251199"),
        ("015112345678", "DE", "+4915112345678"),
        ("+49 151 12345678", "US", "+4915112345678"),
        ("015112345678", "", ""),
        ("call me", "DE", ""),
        (None, "DE", ""),
    ],
)
def test_phone_numbers_are_e164_or_dropped(number, region, e164):
    assert phone_e164(number, region) == e164


@pytest.mark.parametrize(
    ("domain", "store"),
    [
        ("johns-apparel.myshopify.com", "johns-apparel"),
        ("JOHNS-APPAREL.myshopify.com", "johns-apparel"),
        ("", "shopify"),
        ("...", "shopify"),
        ("a" * 80 + ".myshopify.com", "a" * 50),
    ],
)
def test_the_store_is_a_slug_of_the_shop_domain(domain, store):
    assert store_for_shop(domain) == store


def test_numbers_with_fractions_are_parsed_as_decimal_never_float():
    assert payload_parse(b'{"total_price": 409.94, "id": 1}') == {
        "total_price": Decimal("409.94"),
        "id": 1,
    }


def test_nan_is_not_json_we_accept():
    with pytest.raises(PayloadNotJson):
        payload_parse(b'{"total_price": Infinity}')


def test_the_sample_order_maps_to_order_data(shopify_order):
    # when Shopify's sample order is mapped
    row = order_data_from_payload(shopify_order, store="shop")
    # then the visible number, Shopify's id and the amounts are kept as they are
    assert (row.store, row.number, row.external_id, row.currency) == (
        "shop",
        "1001",
        "450789469",
        "USD",
    )
    assert (row.subtotal, row.tax_total, row.shipping_total, row.total) == (
        Decimal("398.00"),
        Decimal("11.94"),
        Decimal("0.00"),
        Decimal("409.94"),
    )
    assert row.insured is False
    assert (row.customer.timezone, row.customer.language, row.customer.phone) == ("", "", "")


def test_shipping_is_the_sum_of_the_shipping_lines(shopify_order):
    shopify_order["shipping_lines"] = [{"price": "4.90"}, {"price": "2.10"}]
    assert order_data_from_payload(shopify_order, store="s").shipping_total == Decimal("7.00")


def test_a_line_without_sku_falls_back_to_its_variant_then_its_id(shopify_order):
    # given lines with an empty sku, a missing sku, and neither sku nor variant
    shopify_order["line_items"][0]["sku"] = ""
    shopify_order["line_items"][1]["sku"] = None
    shopify_order["line_items"][2].update(sku=None, variant_id=None)
    # when mapped
    row = order_data_from_payload(shopify_order, store="s")
    # then each line still has a stable sku
    assert [line.sku for line in row.lines] == ["39072856", "49148385", "item-703073504"]


def test_without_a_shipping_address_the_country_comes_from_billing_then_the_customer(
    shopify_order,
):
    shopify_order["shipping_address"] = None
    shopify_order["billing_address"]["country_code"] = "CA"
    assert order_data_from_payload(shopify_order, store="s").shipping_country == "CA"
    shopify_order["billing_address"] = None
    shopify_order["customer"]["default_address"]["country_code"] = "DE"
    assert order_data_from_payload(shopify_order, store="s").shipping_country == "DE"


def test_the_name_comes_from_the_shipping_address_without_a_customer_name(shopify_order):
    shopify_order["customer"].update(first_name=None, last_name="")
    shopify_order["shipping_address"]["name"] = "Robert Norman"
    assert order_data_from_payload(shopify_order, store="s").customer.name == "Robert Norman"


def test_the_email_falls_back_to_the_customers(shopify_order):
    shopify_order["email"] = ""
    shopify_order["customer"]["email"] = "bob@example.com"
    assert order_data_from_payload(shopify_order, store="s").customer.email == "bob@example.com"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": None}, "name"),
        ({"name": "#"}, "name"),
        ({"id": None}, "id"),
        ({"created_at": "2008-01-10T11:00:00"}, "created_at"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"total_price": 409.94}, "total_price"),
        ({"total_price": "lots"}, "total_price"),
        ({"line_items": []}, "line_items"),
        ({"line_items": "IPOD"}, "line_items"),
        (
            {"shipping_address": None, "billing_address": None, "customer": None},
            "shipping_address.country_code",
        ),
        ({"email": None, "customer": None}, "email"),
    ],
)
def test_missing_or_malformed_fields_are_named(shopify_order, change, field):
    shopify_order.update(change)
    with pytest.raises(ShopifyOrderInvalid) as excinfo:
        order_data_from_payload(shopify_order, store="s")
    assert field in excinfo.value.errors


def test_a_line_quantity_must_be_a_whole_number(shopify_order):
    shopify_order["line_items"][0]["quantity"] = "1"
    with pytest.raises(ShopifyOrderInvalid) as excinfo:
        order_data_from_payload(shopify_order, store="s")
    assert excinfo.value.errors == {"line_items[0].quantity": ["Enter a whole number."]}


def test_a_shipping_line_without_allocations_is_discounted_by_its_discounted_price(
    shopify_order,
):
    # given an older payload's shipping line: a discounted_price, no allocations
    shopify_order["shipping_lines"] = [{"price": "10.00", "discounted_price": "7.50"}]
    # when mapped, then the shipping charged is the discounted price
    row = order_data_from_payload(shopify_order, store="s")
    assert (row.shipping_total, row.shipping_discount) == (Decimal("7.50"), Decimal("2.50"))


def test_a_removed_shipping_line_is_left_out(shopify_order):
    shopify_order["shipping_lines"] = [
        {"price": "10.00", "is_removed": True},
        {"price": "4.90", "discount_allocations": []},
    ]
    row = order_data_from_payload(shopify_order, store="s")
    assert (row.shipping_total, row.shipping_discount) == (Decimal("4.90"), Decimal(0))


def test_without_updated_at_the_order_has_no_shop_stamp(shopify_order):
    del shopify_order["updated_at"]
    assert order_data_from_payload(shopify_order, store="s").shop_updated_at is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"updated_at": "yesterday"}, "updated_at"),
        (
            {"line_items": [{"sku": "A", "title": "A", "quantity": 1, "price": "1.00",
                             "discount_allocations": [{"amount": "lots"}]}]},
            "line_items[0].discount_allocations[0].amount",
        ),
        ({"shipping_lines": [{"price": "1.00", "discount_allocations": "all"}]},
         "shipping_lines[0].discount_allocations"),
    ],
)  # fmt: skip
def test_malformed_stamps_and_discounts_are_named(shopify_order, change, field):
    shopify_order.update(change)
    with pytest.raises(ShopifyOrderInvalid) as excinfo:
        order_data_from_payload(shopify_order, store="s")
    assert field in excinfo.value.errors
