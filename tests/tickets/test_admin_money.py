"""The admin shows money in its currency's own format, never "1234.000"."""

from decimal import Decimal

import pytest

from tests.tickets.factories import CaseFactory, OrderFactory, OrderLineFactory, superuser
from tickets.models import Compensation


@pytest.fixture
def admin_client(client):
    client.force_login(superuser(username="root"))
    return client


def _compensation(case, amount, currency, base_amount):
    # a stored row, as the services write it (the admin only reads compensations)
    return Compensation.objects.create(
        case=case,
        kind=Compensation.Kind.REFUND,
        amount=Decimal(amount),
        currency=currency,
        base_amount=Decimal(base_amount),
        base_currency="EUR",
        exchange_rate=Decimal(1),
    )


@pytest.mark.django_db
def test_compensations_show_yen_euro_and_dinar_amounts_as_people_write_them(admin_client):
    # given compensations in JPY, EUR and KWD
    case = CaseFactory()
    yen = _compensation(case, "1234", "JPY", "7.56")
    _compensation(case, "12.5", "EUR", "12.5")
    _compensation(case, "1.25", "KWD", "3.81")
    # when the list is opened in English
    page = admin_client.get("/admin/tickets/compensation/", HTTP_ACCEPT_LANGUAGE="en").content
    page = page.decode()
    # then each amount has its currency's decimals and symbol
    assert "¥1,234" in page and "1234.000" not in page
    assert "€12.50" in page and "12.500" not in page
    assert "KWD1.250" in page
    assert "€7.56" in page
    # and the compensation's page too
    detail = admin_client.get(f"/admin/tickets/compensation/{yen.pk}/change/").content.decode()
    assert "¥1,234" in detail and "1234.000" not in detail


@pytest.mark.django_db
def test_an_order_and_its_lines_show_yen_without_decimals(admin_client):
    # given a JPY order
    order = OrderFactory(
        currency="JPY", subtotal=Decimal(1234), total=Decimal(1234), shipping_total=Decimal(0)
    )
    OrderLineFactory(order=order, unit_price=Decimal(1234))
    # when the list and the order's form are opened
    listing = admin_client.get("/admin/tickets/order/").content.decode()
    form = admin_client.get(f"/admin/tickets/order/{order.pk}/change/").content.decode()
    # then no amount reads 1234.000
    assert "¥1,234" in listing
    assert "1234.000" not in form
    assert 'value="1234"' in form
