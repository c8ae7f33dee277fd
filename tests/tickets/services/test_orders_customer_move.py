"""An order that has cases stays with its customer: an update that would move it is refused."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.tickets.factories import CaseFactory
from tickets.models import Customer, Order
from tickets.services.orders import (
    CustomerData,
    LineData,
    OrderCustomerLocked,
    OrderData,
    OrdersInvalid,
    orders_upsert,
)

pytestmark = pytest.mark.django_db
KETTLE = LineData(sku="KET-1", title="Kettle", quantity=1, unit_price=Decimal("49.90"))


def order_data(number: str, email: str, total: str = "49.90") -> OrderData:
    return OrderData(
        number=number,
        customer=CustomerData(email=email),
        placed_at=datetime(2026, 3, 1, 14, 30, tzinfo=UTC),
        currency="EUR",
        total=Decimal(total),
        shipping_country="DE",
        lines=(KETTLE,),
    )


def test_an_order_with_a_case_is_not_moved_to_another_customer():
    # given order 1001 of Mia, with a case, and order 1002 of Mia without one
    orders_upsert(
        rows=[order_data("1001", "mia@example.com"), order_data("1002", "mia@example.com")]
    )
    order = Order.objects.get(number="1001")
    CaseFactory(customer=order.customer, order=order)
    # when a batch gives both to Leo, and changes 1001's total too
    rows = [order_data("1002", "leo@example.com"), order_data("1001", "leo@example.com", "9.90")]
    with pytest.raises(OrderCustomerLocked) as excinfo:
        orders_upsert(rows=rows)
    # then 1001's row is refused with the reason, the batch is all or nothing
    assert isinstance(excinfo.value, OrdersInvalid)
    assert excinfo.value.code == "order_customer_locked"
    assert excinfo.value.errors == {
        1: {
            "customer.email": [
                "Order 1001 has support cases, so it stays with its customer mia@example.com; "
                "it cannot move to another customer."
            ]
        }
    }
    assert (
        str(excinfo.value) == "1 order(s) have support cases and cannot move to another customer."
    )
    # and nothing is written: no new customer, both orders as they were
    assert list(Customer.objects.values_list("email", flat=True)) == ["mia@example.com"]
    assert {o.number: (o.customer.email, o.total) for o in Order.objects.all()} == {
        "1001": ("mia@example.com", Decimal("49.900")),
        "1002": ("mia@example.com", Decimal("49.900")),
    }


def test_an_order_without_cases_moves_to_the_customer_the_shop_names():
    # given order 1001 of Mia, without a case
    orders_upsert(rows=[order_data("1001", "mia@example.com")])
    # when the shop gives it to Leo, then it is his
    result = orders_upsert(rows=[order_data("1001", "leo@example.com")])
    assert result.updated == 1
    assert Order.objects.get().customer.email == "leo@example.com"


def test_the_same_customer_in_other_letters_is_no_move():
    # given order 1001 of Mia, with a case
    orders_upsert(rows=[order_data("1001", "mia@example.com")])
    order = Order.objects.get()
    CaseFactory(customer=order.customer, order=order)
    # when the shop writes her address in capitals, then the order is simply unchanged
    result = orders_upsert(rows=[order_data("1001", "MIA@Example.com")])
    assert result.unchanged == 1
