"""Reading orders. Writing them (the upsert) is in test_order_upsert.py."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CustomerFactory, OrderFactory, OrderLineFactory

URL = "/api/v1/orders/"


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_an_order_reads_with_its_lines_and_amounts_in_its_currency(writer):
    # given a euro order with two lines, and a yen order
    order = OrderFactory(number="A-1", total=Decimal("54.9"))
    OrderLineFactory(order=order, sku="KET", quantity=2, unit_price=Decimal("25"))
    OrderLineFactory(order=order, sku="CUP", quantity=1, unit_price=Decimal("4.9"))
    yen = OrderFactory(number="J-1", currency="JPY", subtotal=5000, total=5490, shipping_total=490)
    # when it is read
    body = writer.get(f"{URL}{order.pk}/").json()
    # then the lines come nested, and amounts have their currency's decimals
    assert body["customer"] == {
        "id": order.customer.pk, "email": order.customer.email, "name": order.customer.name
    }  # fmt: skip
    assert body["total"] == "54.90"
    assert [(x["sku"], x["quantity"], x["unit_price"]) for x in body["lines"]] == [
        ("KET", 2, "25.00"),
        ("CUP", 1, "4.90"),
    ]
    assert writer.get(f"{URL}{yen.pk}/").json()["total"] == "5490"


@pytest.mark.django_db
def test_filters(writer):
    now = timezone.now()
    mia = CustomerFactory()
    OrderFactory(number="1", store="eu", customer=mia, placed_at=now - timedelta(days=3))
    OrderFactory(number="2", store="us", currency="USD", placed_at=now - timedelta(days=1))
    OrderFactory(number="3", store="eu", placed_at=now)
    assert numbers(writer.get(URL, {"store": "eu"})) == ["3", "1"]
    assert numbers(writer.get(URL, {"number": "2"})) == ["2"]
    assert numbers(writer.get(URL, {"customer": mia.pk})) == ["1"]
    assert numbers(writer.get(URL, {"customer": 10**20})) == []
    assert numbers(writer.get(URL, {"currency": "usd"})) == ["2"]
    since = (now - timedelta(days=2)).isoformat()
    assert numbers(writer.get(URL, {"placed_after": since})) == ["3", "2"]
    assert numbers(writer.get(URL, {"placed_before": since})) == ["1"]
    assert numbers(writer.get(URL, {"ordering": "placed_at"})) == ["1", "2", "3"]


@pytest.mark.django_db
def test_a_malformed_filter_is_a_400(writer):
    body = assert_error_shape(writer.get(URL, {"placed_after": "yesterday"}), 400, "invalid")
    assert list(body["errors"]) == ["placed_after"]
    assert_error_shape(writer.get(URL, {"customer": "mia"}), 400, "invalid")


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_2_or_20_orders_with_lines(writer, page_queries):
    def orders(n):
        for _ in range(n):
            OrderLineFactory.create_batch(3, order=OrderFactory())

    orders(2)
    with_two = page_queries(URL)
    orders(18)
    assert page_queries(URL) == with_two
