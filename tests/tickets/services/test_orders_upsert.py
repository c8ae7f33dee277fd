from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CustomerFactory
from tickets.models import Customer, Order, OrderLine
from tickets.services.orders import (
    CustomerData,
    LineData,
    OrderData,
    OrdersInvalid,
    orders_upsert,
    orders_validate,
    row_ok,
)

pytestmark = pytest.mark.django_db
PLACED = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
KETTLE = LineData(sku="KET-1", title="Kettle", quantity=1, unit_price=Decimal("49.90"))
MUG = LineData(sku="MUG-2", title="Mug", quantity=2, unit_price=Decimal("7.50"))
# Per backend, a batch this size still fits in one statement per lookup or insert.
MAX_QUERIES = 12


def order_data(number="1001", **overrides) -> OrderData:
    values = {
        "number": number,
        "customer": CustomerData(email="mia@example.com", name="Mia Park", country="DE"),
        "placed_at": PLACED,
        "currency": "EUR",
        "total": Decimal("69.80"),
        "shipping_total": Decimal("4.90"),
        "shipping_country": "DE",
        "lines": (KETTLE, MUG),
    }
    return OrderData(**{**values, **overrides})


def lines_of(order: Order) -> list[tuple]:
    return list(order.lines.values_list("sku", "title", "quantity", "unit_price"))


def writes(queries: CaptureQueriesContext) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(verbs)]


def test_it_creates_the_order_with_its_lines_and_customer():
    # given nothing stored, when a new order comes in
    result = orders_upsert(rows=[order_data()])

    # then the order, its two lines and its customer exist
    order = Order.objects.get(store="default", number="1001")
    assert (result.created, result.updated, result.unchanged) == (1, 0, 0)
    assert result.orders == [order]
    assert order.customer.email == "mia@example.com"
    assert order.customer.name == "Mia Park"
    assert order.subtotal == Decimal("64.90")  # the lines' sum, since none was given
    assert order.total == Decimal("69.80")
    assert lines_of(order) == [
        ("KET-1", "Kettle", 1, Decimal("49.90")),
        ("MUG-2", "Mug", 2, Decimal("7.50")),
    ]
    assert len(result.created_customers) == 1


def test_the_same_rows_again_write_nothing():
    # given an imported order
    orders_upsert(rows=[order_data()])
    order = Order.objects.get()
    stamps = (order.updated_at, order.customer.updated_at)
    line_ids = list(order.lines.values_list("pk", flat=True))

    # when the same rows come again
    with CaptureQueriesContext(connection) as queries:
        result = orders_upsert(rows=[order_data()])

    # then nothing is written and the order counts as unchanged
    order.refresh_from_db()
    order.customer.refresh_from_db()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert (len(result.created_customers), len(result.updated_customers)) == (0, 0)
    assert writes(queries) == []
    assert (order.updated_at, order.customer.updated_at) == stamps
    assert list(order.lines.values_list("pk", flat=True)) == line_ids


def test_a_changed_total_updates_the_order_and_keeps_its_lines():
    # given an imported order
    orders_upsert(rows=[order_data()])
    before = Order.objects.get()
    line_ids = list(before.lines.values_list("pk", flat=True))

    # when it comes again with another total
    result = orders_upsert(rows=[order_data(total=Decimal("64.90"), shipping_total=Decimal(0))])

    # then the order is updated in place, its lines untouched
    after = Order.objects.get()
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert after.pk == before.pk
    assert (after.total, after.shipping_total) == (Decimal("64.90"), Decimal(0))
    assert after.updated_at > before.updated_at
    assert list(after.lines.values_list("pk", flat=True)) == line_ids


def test_changed_lines_replace_the_stored_lines():
    # given an order with a kettle and two mugs
    orders_upsert(rows=[order_data()])

    # when it comes again with three mugs only
    three_mugs = replace(MUG, quantity=3)
    result = orders_upsert(rows=[order_data(lines=(three_mugs,), total=Decimal("27.40"))])

    # then the stored lines are exactly the new ones
    order = Order.objects.get()
    assert result.updated == 1
    assert lines_of(order) == [("MUG-2", "Mug", 3, Decimal("7.50"))]
    assert order.subtotal == Decimal("22.50")
    assert OrderLine.objects.count() == 1


def test_the_customer_is_matched_by_email_in_any_case_and_updated_only_where_given():
    # given a stored customer with a name, a phone and a language
    customer = CustomerFactory(
        email="Mia@Example.com", name="Mia", phone="+4915112345678", language="de"
    )

    # when an order names the same email in other letters, with a new name and nothing else
    row = order_data(customer=CustomerData(email=" mia@EXAMPLE.com ", name="Mia Park"))
    result = orders_upsert(rows=[row])

    # then the order belongs to that customer, whose name changed and nothing else did
    customer.refresh_from_db()
    assert Customer.objects.count() == 1
    assert Order.objects.get().customer == customer
    assert (len(result.created_customers), len(result.updated_customers)) == (0, 1)
    assert (customer.email, customer.name) == ("Mia@Example.com", "Mia Park")
    assert (customer.phone, customer.language, str(customer.country)) == (
        "+4915112345678",
        "de",
        "DE",
    )


def test_an_email_with_a_non_ascii_capital_finds_its_customer_again():
    # given a customer stored with a capital umlaut in the domain
    orders_upsert(rows=[order_data("1001", customer=CustomerData(email="mia@BÜCHER.de"))])

    # when another order of theirs comes in, then it joins the same customer on any database
    result = orders_upsert(rows=[order_data("1002", customer=CustomerData(email="mia@BÜCHER.de"))])
    assert result.created_customers == []
    assert Customer.objects.count() == 1


def test_an_unchanged_customer_is_not_written():
    # given a stored customer
    customer = CustomerFactory(email="mia@example.com", name="Mia Park", country="DE")
    stamp = customer.updated_at

    # when an order repeats exactly what is stored about them
    result = orders_upsert(rows=[order_data()])

    # then the customer is left alone
    customer.refresh_from_db()
    assert (len(result.created_customers), len(result.updated_customers)) == (0, 0)
    assert customer.updated_at == stamp


JPY = {"currency": "JPY", "total": Decimal(5000), "shipping_total": Decimal(0)}
JPY_LINE = LineData(sku="TEA-1", title="Tea", quantity=1, unit_price=Decimal(5000))
INVALID = {
    "bad email": (
        {"customer": CustomerData(email="mia.example.com")},
        "customer.email",
        "Enter a valid email address.",
    ),
    "unknown currency": (
        {"currency": "EUX"},
        "currency",
        "EUX is not an ISO-4217 currency code such as EUR, USD or JPY.",
    ),
    "negative total": ({"total": Decimal("-1.00")}, "total", "The amount cannot be negative."),
    "quantity 0": (
        {"lines": (replace(KETTLE, quantity=0),)},
        "lines[0].quantity",
        "Ensure this value is greater than or equal to 1.",
    ),
    "JPY total with decimals": (
        {**JPY, "total": Decimal("5000.50"), "lines": (JPY_LINE,)},
        "total",
        "JPY amounts have 0 decimal places.",
    ),
    "JPY line price with decimals": (
        {**JPY, "lines": (JPY_LINE, replace(JPY_LINE, unit_price=Decimal("99.5")))},
        "lines[1].unit_price",
        "JPY amounts have 0 decimal places.",
    ),
    "unknown country": (
        {"shipping_country": "XX"},
        "shipping_country",
        "Value 'XX' is not a valid choice.",
    ),
    "unknown customer country": (
        {"customer": CustomerData(email="mia@example.com", country="XX")},
        "customer.country",
        "Value 'XX' is not a valid choice.",
    ),
    "phone not valid in the customer's country": (
        {"customer": CustomerData(email="mia@example.com", phone="0151 1234567", country="DE")},
        "customer.phone",
        "“0151 1234567” is not a valid phone number in Germany.",
    ),
    "no lines": ({"lines": ()}, "lines", "An order needs at least one line."),
    "naive time": (
        {"placed_at": datetime(2026, 3, 1, 14, 30)},  # noqa: DTZ001 - the point of the test
        "placed_at",
        "Give the time with its offset from UTC, e.g. 2026-03-01T14:30:00+01:00.",
    ),
    "blank order number": ({"number": ""}, "number", "This field cannot be blank."),
}


@pytest.mark.parametrize(("overrides", "field", "message"), INVALID.values(), ids=INVALID)
def test_an_invalid_row_is_refused_with_its_field_error_and_nothing_is_written(
    overrides, field, message
):
    # given a valid row and an invalid one in one batch
    rows = [order_data("1001"), order_data(**{"number": "1002", **overrides})]

    # when they are upserted
    with pytest.raises(OrdersInvalid) as excinfo:
        orders_upsert(rows=rows)

    # then the second row's field error is reported, and neither row is stored
    assert excinfo.value.errors == {1: {field: [message]}}
    assert excinfo.value.code == "invalid_orders"
    assert not Order.objects.exists()
    assert not Customer.objects.exists()
    assert not OrderLine.objects.exists()


def test_valid_rows_take_the_quick_check_and_invalid_ones_full_clean():
    # given valid rows in several shapes and every invalid row above
    valid = [
        order_data(),
        order_data(**JPY, lines=(JPY_LINE,)),
        order_data(subtotal=Decimal("64.90"), insured=True, external_id="gid://1", store="eu"),
        order_data(customer=CustomerData(email="a@b.de", phone="+4915112345678", language="de")),
    ]
    invalid = [order_data(**{"number": "1002", **overrides}) for overrides, *_ in INVALID.values()]

    # then valid rows pass the quick check (a large import depends on it), invalid ones never
    assert [row_ok(row) for row in valid] == [True] * len(valid)
    assert [row_ok(row) for row in invalid] == [False] * len(invalid)


def test_the_same_order_number_twice_in_one_batch_is_refused():
    # given one order number on two rows
    rows = [order_data("1001"), order_data("1002"), order_data("1001")]

    # when they are validated, then the repeat is refused and points at both rows
    assert orders_validate(rows) == {
        2: {"number": ["Order 1001 appears twice in this batch (rows 1 and 3)."]}
    }
    with pytest.raises(OrdersInvalid):
        orders_upsert(rows=rows)
    assert not Order.objects.exists()


def test_all_errors_of_a_row_are_reported_together():
    # given a row wrong in three places
    row = order_data(
        customer=CustomerData(email="nope"),
        total=Decimal("-1"),
        lines=(replace(KETTLE, quantity=0, unit_price=Decimal("1.001")),),
    )

    # when it is validated, then every problem is named
    errors = orders_validate([row])[0]
    assert set(errors) == {
        "customer.email",
        "total",
        "lines[0].quantity",
        "lines[0].unit_price",
    }


def test_every_amount_with_too_many_decimals_is_named():
    # given an order in yen with decimals in its shipping and its total
    row = order_data(
        **{**JPY, "shipping_total": Decimal("0.5"), "total": Decimal("5000.5")},
        lines=(JPY_LINE,),
    )

    # when it is validated, then both amounts are named, not only the first
    message = ["JPY amounts have 0 decimal places."]
    assert orders_validate([row]) == {0: {"shipping_total": message, "total": message}}


def test_the_same_number_in_two_stores_is_two_orders():
    # given order 1001 of the default store
    orders_upsert(rows=[order_data("1001")])

    # when store "eu" sends its own 1001
    result = orders_upsert(rows=[order_data("1001", store="eu", total=Decimal("99.00"))])

    # then both exist, each with its own total
    assert result.created == 1
    totals = dict(Order.objects.values_list("store", "total"))
    assert totals == {"default": Decimal("69.80"), "eu": Decimal("99.00")}


def test_a_dry_run_counts_but_writes_nothing():
    # given two stored orders
    orders_upsert(rows=[order_data("1001"), order_data("1003")])

    # when a batch with one changed, one new and one unchanged is dry-run
    rows = [
        order_data("1001", total=Decimal("70.00")),
        order_data("1002", customer=CustomerData(email="leo@example.com")),
        order_data("1003"),
    ]
    with CaptureQueriesContext(connection) as queries:
        result = orders_upsert(rows=rows, dry_run=True)

    # then the counts say what would happen and nothing was written
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    assert (len(result.created_customers), len(result.updated_customers)) == (1, 0)
    assert writes(queries) == []
    assert Order.objects.get(number="1001").total == Decimal("69.80")
    assert not Order.objects.filter(number="1002").exists()


def batch(size: int, customers: int = 7) -> list[OrderData]:
    return [
        order_data(
            f"{2000 + n}", customer=CustomerData(email=f"c{n % customers}@example.com", name="C")
        )
        for n in range(size)
    ]


def count_queries(rows: list[OrderData]) -> int:
    with CaptureQueriesContext(connection) as queries:
        orders_upsert(rows=rows)
    return len(queries.captured_queries)


@pytest.mark.parametrize("size", [10, 100])
def test_new_orders_take_a_bounded_number_of_queries(size, django_assert_max_num_queries):
    # given nothing stored, when a batch of new orders comes in
    with django_assert_max_num_queries(MAX_QUERIES):
        result = orders_upsert(rows=batch(size))

    # then the whole batch is written with the same handful of queries
    assert result.created == size
    assert OrderLine.objects.count() == 2 * size


def test_unchanged_orders_take_the_same_queries_at_any_batch_size():
    # given 10 and 100 stored orders
    small, large = batch(10), batch(100)
    orders_upsert(rows=large)

    # when both batches come again, then they cost the same queries, none of them a write
    assert count_queries(small) == count_queries(large) <= 6
