"""My orders: the signed-in customer's orders, newest first, in their language and time zone."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CaseFactory, OrderFactory, OrderLineFactory
from tickets.scenarios import scenario_list
from tickets.selectors.portal import ORDERS_PER_PAGE

pytestmark = pytest.mark.django_db

URL = "/portal/orders/"


def test_signed_out_visitors_go_to_the_access_form(client):
    # when someone without a portal session opens My orders
    response = client.get(URL)
    # then they are sent to the access form, coming back here afterwards
    assert response.status_code == 302
    assert response.url.startswith("/portal/?")
    assert "next=%2Fportal%2Forders%2F" in response.url


def test_the_customer_sees_their_orders_newest_first_and_no_one_elses(
    portal_client, portal_customer, stranger_order
):
    # given two orders of the customer, placed a month apart, and another customer's order
    OrderFactory(
        customer=portal_customer, number="OLD-1", placed_at=datetime(2026, 6, 1, tzinfo=UTC)
    )
    OrderFactory(
        customer=portal_customer, number="NEW-2", placed_at=datetime(2026, 7, 1, tzinfo=UTC)
    )

    # when they open My orders
    page = portal_client.get(URL).content.decode()

    # then both of theirs are listed, the newer first, and the stranger's is not
    assert page.index("NEW-2") < page.index("OLD-1")
    assert stranger_order.number not in page
    assert "Toaster" not in page


def test_lines_amounts_date_cases_and_the_help_button(portal_client, portal_customer):
    # given an order placed late on 15 July in UTC, which is 16 July in the customer's Tokyo
    order = OrderFactory(
        customer=portal_customer,
        number="A-77",
        placed_at=datetime(2026, 7, 15, 16, 30, tzinfo=UTC),
        currency="EUR",
        subtotal=Decimal("1234.50"),
        shipping_total=Decimal("4.90"),
        total=Decimal("1239.40"),
    )
    OrderLineFactory(
        order=order, title="Espresso machine", sku="ESP-9", quantity=2, unit_price=Decimal("617.25")
    )
    case = CaseFactory(customer=portal_customer, order=order, subject="Steam wand leaks")

    # when the customer opens My orders
    page = portal_client.get(URL).content.decode()

    # then the line, its SKU, quantity and amounts, the totals in euros, the local date, the
    # case and the way to get help are all there
    assert "Espresso machine" in page
    assert "ESP-9" in page
    assert "2 × €617.25" in page
    assert "€1,234.50" in page
    assert "€1,239.40" in page
    assert "July 16, 2026" in page
    assert f'href="/portal/cases/{case.number}/"' in page
    assert "Steam wand leaks" in page
    assert f'href="/portal/orders/{order.pk}/help/"' in page
    assert "Get help with this order" in page


def test_amounts_follow_the_language_of_the_page(portal_client, portal_customer):
    # given an order in Japanese yen
    OrderFactory(
        customer=portal_customer,
        currency="JPY",
        subtotal=Decimal(5000),
        shipping_total=Decimal(0),
        total=Decimal("123456"),
    )
    # when the page is read in German, then the yen are formatted the German way
    page = portal_client.get(URL, headers={"accept-language": "de"}).content.decode()
    assert "123.456\u00a0¥" in page


def test_a_line_the_shop_removed_is_not_listed(portal_client, portal_order):
    # given one of the order's lines taken off by the shop
    portal_order.lines.filter(title="Teapot").update(removed_at=datetime(2026, 7, 1, tzinfo=UTC))
    # then only the other one shows
    page = portal_client.get(URL).content.decode()
    assert "Kettle" in page
    assert "Teapot" not in page


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_orders_lines_or_cases(
    portal_client, portal_customer, django_assert_num_queries
):
    # given one order with one line
    order = OrderFactory(customer=portal_customer)
    OrderLineFactory(order=order)
    portal_client.get(URL)  # the session's "last seen" write happens once, not in the count
    few = _queries(portal_client)

    # when the customer has a full page of orders, each with three lines and two cases
    for _n in range(ORDERS_PER_PAGE):
        order = OrderFactory(customer=portal_customer)
        OrderLineFactory.create_batch(3, order=order)
        CaseFactory.create_batch(2, customer=portal_customer, order=order)

    # then the page takes as many queries: session, customer, count, orders, lines, cases, and
    # one per scenario with an order panel (shipments: the parcels)
    with django_assert_num_queries(few):
        portal_client.get(URL)
    assert few == 6 + len([s for s in scenario_list() if s.order_panel])


def test_many_orders_are_paginated(portal_client, portal_customer):
    # given more orders than fit a page
    for number in range(ORDERS_PER_PAGE + 1):
        OrderFactory(
            customer=portal_customer,
            number=f"N-{number:03d}",
            placed_at=datetime(2026, 1, 1 + number, tzinfo=UTC),
        )
    # when the first and the second page are opened
    first = portal_client.get(URL).content.decode()
    second = portal_client.get(URL, {"page": 2}).content.decode()
    # then the newest orders are on the first, the oldest on the second, with a link on
    assert "N-010" in first and "N-000" not in first
    assert "N-000" in second and "N-010" not in second
    assert 'rel="next"' in first


def test_a_page_number_that_is_no_number_shows_the_first_page(portal_client, portal_order):
    response = portal_client.get(URL, {"page": "x'; drop"})
    assert response.status_code == 200
    assert portal_order.number in response.content.decode()
