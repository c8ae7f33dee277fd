"""Discounts: each line's share of the order's discounts and the shipping discount are stored,
and a line's total after discount is what refunds are computed from."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tickets.models import Order, OrderLine
from tickets.services.orders import (
    CustomerData,
    LineData,
    OrderData,
    OrdersInvalid,
    orders_upsert,
    row_ok,
)

pytestmark = pytest.mark.django_db
KETTLE = LineData(
    sku="KET-1", title="Kettle", quantity=2, unit_price=Decimal("49.90"), discount=Decimal("9.98")
)
GIFT = LineData(
    sku="BAG-1", title="Gift bag", quantity=1, unit_price=Decimal("2.99"), discount=Decimal("2.99")
)


def order_data(*lines: LineData, currency: str = "EUR", **changes) -> OrderData:
    values = {
        "number": "1001",
        "customer": CustomerData(email="mia@example.com"),
        "placed_at": datetime(2026, 3, 1, 14, 30, tzinfo=UTC),
        "currency": currency,
        "total": Decimal("89.82"),
        "shipping_country": "DE",
        "shipping_total": Decimal("0.00"),
        "shipping_discount": Decimal("4.90"),
        "lines": lines,
    }
    return OrderData(**{**values, **changes})


def test_line_discounts_and_the_shipping_discount_are_stored():
    # given an order with 10% off two kettles, a free gift bag and free shipping
    result = orders_upsert(rows=[order_data(KETTLE, GIFT)])
    # then each line has its discount and its total after it, computed by the database
    assert result.created == 1
    lines = list(OrderLine.objects.values_list("sku", "discount", "total"))
    assert lines == [
        ("KET-1", Decimal("9.980"), Decimal("89.820")),
        ("BAG-1", Decimal("2.990"), Decimal("0.000")),
    ]
    # and the order's subtotal is the sum of the lines after their discounts
    order = Order.objects.get()
    assert (order.subtotal, order.shipping_total, order.shipping_discount) == (
        Decimal("89.820"),
        Decimal("0.000"),
        Decimal("4.900"),
    )


def test_a_changed_discount_updates_the_line_in_place():
    # given the order as placed
    orders_upsert(rows=[order_data(KETTLE, GIFT)])
    kettle = OrderLine.objects.get(sku="KET-1")
    # when the shop takes the kettle discount back
    result = orders_upsert(rows=[order_data(replace(KETTLE, discount=Decimal(0)), GIFT)])
    # then the same line costs the full price again
    assert result.updated == 1
    kettle.refresh_from_db()
    assert (kettle.discount, kettle.total) == (Decimal("0.000"), Decimal("99.800"))


def test_the_lines_with_discounts_pass_the_quick_check():
    assert row_ok(order_data(KETTLE, GIFT)) is True


@pytest.mark.parametrize(
    ("line", "currency", "field", "message"),
    [
        (
            replace(GIFT, discount=Decimal("3.00")),
            "EUR",
            "lines[0].discount",
            "The discount is larger than the line's price.",
        ),
        (
            replace(GIFT, discount=Decimal("-1.00")),
            "EUR",
            "lines[0].discount",
            "The amount cannot be negative.",
        ),
        (
            LineData(
                sku="TEA", title="Tea", quantity=1, unit_price=Decimal(500), discount=Decimal("0.5")
            ),
            "JPY",
            "lines[0].discount",
            "JPY amounts have 0 decimal places.",
        ),
    ],
    ids=["larger than the price", "negative", "decimals on yen"],
)
def test_a_bad_discount_is_refused_naming_it(line, currency, field, message):
    # given a line with a discount the shop cannot have given
    row = order_data(line, currency=currency, total=Decimal(0), shipping_discount=Decimal(0))
    # when it is upserted, then the discount is named and nothing is stored
    assert row_ok(row) is False
    with pytest.raises(OrdersInvalid) as excinfo:
        orders_upsert(rows=[row])
    assert excinfo.value.errors == {0: {field: [message]}}
    assert not Order.objects.exists()


def test_a_negative_shipping_discount_is_refused():
    with pytest.raises(OrdersInvalid) as excinfo:
        orders_upsert(rows=[order_data(KETTLE, shipping_discount=Decimal("-1"))])
    assert excinfo.value.errors == {0: {"shipping_discount": ["The amount cannot be negative."]}}
