"""POST /api/v1/orders/: one order or a batch, all or nothing, through orders_upsert."""

import copy

import pytest

from tests.tickets.api.conftest import assert_error_shape
from tickets.models import Customer, Order, OrderLine

URL = "/api/v1/orders/"


def order(number="1042", **changes) -> dict:
    data = {
        "number": number,
        "customer": {"email": "mia@example.com", "name": "Mia Wong", "language": "de"},
        "placed_at": "2025-03-01T10:15:00Z",
        "currency": "EUR",
        "total": "54.90",
        "shipping_total": "4.90",
        "shipping_country": "DE",
        "lines": [{"sku": "KET-1", "title": "Kettle", "quantity": 1, "unit_price": "50.00"}],
    }
    data.update(changes)
    return data


def counts() -> tuple[int, int, int]:
    return Customer.objects.count(), Order.objects.count(), OrderLine.objects.count()


@pytest.mark.django_db
def test_one_order_is_created_with_its_customer_and_lines(writer):
    # when one order is posted
    response = writer.post(URL, order(), format="json")
    # then it is created (201), and the answer names it
    assert response.status_code == 201, response.content
    stored = Order.objects.get()
    assert response.json() == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "stale": 0,
        "orders": [{"id": stored.pk, "store": "default", "number": "1042"}],
    }
    # with its customer, its lines and the subtotal worked out from them
    assert stored.customer.email == "mia@example.com"
    assert stored.customer.language == "de"
    assert str(stored.subtotal) == "50.000"
    assert list(stored.lines.values_list("sku", "quantity")) == [("KET-1", 1)]


@pytest.mark.django_db
def test_the_same_order_twice_changes_nothing_and_a_change_updates_it(writer):
    # given an order already sent
    assert writer.post(URL, order(), format="json").status_code == 201
    # when it is sent again unchanged, then nothing changes (200)
    response = writer.post(URL, order(), format="json")
    assert response.status_code == 200
    assert response.json()["unchanged"] == 1
    # when it comes back with another total and line, then it is updated in place
    changed = order(
        total="60.00",
        lines=[{"sku": "KET-2", "title": "Kettle XL", "quantity": 1, "unit_price": "55.10"}],
    )
    response = writer.post(URL, changed, format="json")
    assert response.status_code == 200
    assert response.json()["updated"] == 1
    assert counts() == (1, 1, 1)
    assert Order.objects.get().lines.get().sku == "KET-2"


@pytest.mark.django_db
def test_a_batch_creates_and_updates_in_one_call(writer):
    writer.post(URL, order("1"), format="json")
    batch = {"orders": [order("1", total="99.00"), order("2"), order("3", store="us")]}
    response = writer.post(URL, batch, format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 1, 0)
    assert [(o["store"], o["number"]) for o in body["orders"]] == [
        ("default", "1"),
        ("default", "2"),
        ("us", "3"),
    ]
    assert counts() == (1, 3, 3)


@pytest.mark.django_db
def test_an_invalid_row_rejects_the_whole_batch_naming_each_bad_row_and_field(writer):
    # given a batch whose rows 1 and 3 are wrong (row 3 only by the domain's rules)
    rows = [order(str(n)) for n in range(4)]
    rows[1]["lines"][0]["quantity"] = 0
    rows[3]["total"] = "5.001"  # EUR has two decimals
    rows[3]["customer"]["timezone"] = "Mars/Olympus"
    # when it is posted
    response = writer.post(URL, {"orders": rows}, format="json")
    # then nothing is stored, and errors name row and field
    body = assert_error_shape(response, 400, "invalid")
    assert list(body["errors"]) == ["orders[1].lines[0].quantity"]
    assert counts() == (0, 0, 0)
    # when the type error is fixed, then the domain's errors name their rows the same way
    rows[1]["lines"][0]["quantity"] = 1
    body = assert_error_shape(writer.post(URL, {"orders": rows}, format="json"), 400, "invalid")
    assert set(body["errors"]) == {"orders[3].total", "orders[3].customer.timezone"}
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_single_orders_errors_are_plain_field_names(writer):
    body = assert_error_shape(
        writer.post(
            URL, order(currency="JPY", total="1050.50", shipping_total="490"), format="json"
        ),
        400,
        "invalid",
    )
    assert body["errors"] == {"total": ["JPY amounts have 0 decimal places."]}
    body = assert_error_shape(writer.post(URL, order(lines=[]), format="json"), 400)
    assert list(body["errors"]) == ["lines"]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_same_order_twice_in_one_batch_is_refused(writer):
    body = assert_error_shape(
        writer.post(URL, {"orders": [order("7"), order("7")]}, format="json"), 400
    )
    assert "orders[1].number" in body["errors"]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_1001_orders_are_refused_naming_the_limit(writer):
    # given one order over the limit of 1,000 a call
    template = order()
    rows = []
    for n in range(1001):
        row = copy.deepcopy(template)
        row["number"] = str(n)
        rows.append(row)
    # when they are posted
    body = assert_error_shape(writer.post(URL, {"orders": rows}, format="json"), 400, "invalid")
    # then the answer says what the limit is, and nothing is stored
    assert body["errors"] == {
        "orders": ["A call takes at most 1000 orders; send the rest in further calls."]
    }
    assert counts() == (0, 0, 0)
    # and 1,000 go through
    assert writer.post(URL, {"orders": rows[:1000]}, format="json").status_code == 201
    assert counts() == (1, 1000, 1000)
