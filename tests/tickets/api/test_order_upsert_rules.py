"""POST /api/v1/orders/: phone numbers read in the customer's country, line ids kept across
updates, discounts, stale orders and orders that cannot change customer."""

import pytest

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CaseFactory
from tickets.models import Customer, Order, OrderLine

URL = "/api/v1/orders/"
pytestmark = pytest.mark.django_db


def order(number="1042", **changes) -> dict:
    data = {
        "number": number,
        "customer": {"email": "mia@example.com", "name": "Mia Wong", "country": "DE"},
        "placed_at": "2025-03-01T10:15:00Z",
        "currency": "EUR",
        "total": "45.00",
        "shipping_total": "0.00",
        "shipping_discount": "4.90",
        "shipping_country": "DE",
        "lines": [
            {
                "sku": "KET-1",
                "title": "Kettle",
                "category": "Kitchen",
                "quantity": 1,
                "unit_price": "50.00",
                "discount": "5.00",
                "external_id": "L-1",
            }
        ],
    }
    data.update(changes)
    return data


def test_a_national_phone_is_stored_in_e164_form_read_in_the_customers_country(writer):
    # given Mia's number as Germans write it, and her country
    data = order(customer={"email": "mia@example.com", "phone": "0151 23456789", "country": "DE"})
    # when the order is posted, then it is accepted and the number stored in E.164 form
    assert writer.post(URL, data, format="json").status_code == 201
    assert Customer.objects.get().phone == "+4915123456789"


def test_without_the_customers_country_the_shipping_country_reads_the_phone(writer):
    data = order(customer={"email": "mia@example.com", "phone": "0151 23456789"})
    assert writer.post(URL, data, format="json").status_code == 201
    assert Customer.objects.get().phone == "+4915123456789"


def test_a_phone_that_cannot_be_read_is_refused_naming_the_field(writer):
    # given a number too short for Germany, in the second order of a batch
    bad = order("2", customer={"email": "leo@example.com", "phone": "0151 1234", "country": "DE"})
    # when the batch is posted
    response = writer.post(URL, {"orders": [order("1"), bad]}, format="json")
    # then the field is named with a reason, and nothing is stored
    body = assert_error_shape(response, 400, "invalid")
    assert body["errors"] == {
        "orders[1].customer.phone": ["“0151 1234” is not a valid phone number in Germany."]
    }
    assert not Order.objects.exists()


def test_discounts_line_ids_and_categories_are_stored_and_shown(writer):
    # when an order with a discounted line and free shipping is posted
    assert writer.post(URL, order(), format="json").status_code == 201
    stored = Order.objects.get()
    # then it reads back with the line's id, discount and total, and the shipping discount
    body = writer.get(f"{URL}{stored.pk}/").json()
    line = OrderLine.objects.get()
    assert body["lines"] == [
        {
            "id": line.pk,
            "external_id": "L-1",
            "sku": "KET-1",
            "title": "Kettle",
            "category": "Kitchen",
            "quantity": 1,
            "unit_price": "50.00",
            "discount": "5.00",
            "total": "45.00",
            "removed_at": None,
        }
    ]
    assert (body["subtotal"], body["shipping_total"], body["shipping_discount"]) == (
        "45.00",
        "0.00",
        "4.90",
    )
    assert body["shop_updated_at"] is None


def test_a_line_keeps_its_id_when_its_sku_changes(writer):
    # given the order with line L-1
    writer.post(URL, order(), format="json")
    line = OrderLine.objects.get()
    # when the same line comes back under another SKU
    changed = order()
    changed["lines"][0]["sku"] = "KET-1-EU"
    assert writer.post(URL, changed, format="json").json()["updated"] == 1
    # then it is the same line
    assert list(OrderLine.objects.values_list("pk", "sku")) == [(line.pk, "KET-1-EU")]


def test_an_order_older_than_the_stored_one_is_counted_stale(writer):
    # given the order as the shop changed it at 12:00
    writer.post(URL, order(shop_updated_at="2025-03-02T12:00:00Z", total="45.00"), format="json")
    # when the version of 11:00 comes, with another total
    older = order(shop_updated_at="2025-03-02T11:00:00+00:00", total="50.00")
    response = writer.post(URL, older, format="json")
    # then it is acknowledged as stale and the order is left as it was
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"], body["stale"]) == (0, 0, 0, 1)
    assert body["orders"][0]["number"] == "1042"
    assert str(Order.objects.get().total) == "45.000"


def test_an_order_with_cases_cannot_move_to_another_customer(writer):
    # given Mia's order with a case
    writer.post(URL, order(), format="json")
    stored = Order.objects.get()
    CaseFactory(customer=stored.customer, order=stored)
    # when a batch gives it to Leo
    moved = order(customer={"email": "leo@example.com"})
    response = writer.post(URL, {"orders": [order("1043"), moved]}, format="json")
    # then the row is refused with the reason, and nothing of the batch is stored
    body = assert_error_shape(response, 400, "invalid")
    assert body["errors"] == {
        "orders[1].customer.email": [
            "Order 1042 has support cases, so it stays with its customer mia@example.com; "
            "it cannot move to another customer."
        ]
    }
    assert list(Order.objects.values_list("number", "customer__email")) == [
        ("1042", "mia@example.com")
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shop_updated_at": "2025-03-02T12:00:00"}, "shop_updated_at"),
        ({"shipping_discount": "-1"}, "shipping_discount"),
    ],
)
def test_bad_new_fields_are_refused_naming_them(writer, change, field):
    body = assert_error_shape(writer.post(URL, order(**change), format="json"), 400, "invalid")
    assert list(body["errors"]) == [field]


def test_a_discount_larger_than_the_line_is_refused(writer):
    data = order()
    data["lines"][0]["discount"] = "50.01"
    body = assert_error_shape(writer.post(URL, data, format="json"), 400, "invalid")
    assert body["errors"] == {
        "lines[0].discount": ["The discount is larger than the line's price."]
    }
