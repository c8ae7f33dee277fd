"""The shop's updated_at: a row older than the stored order never rolls it back."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tickets.models import Customer, Order
from tickets.services.orders import (
    CustomerData,
    LineData,
    OrderData,
    OrdersInvalid,
    orders_upsert,
)

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
KETTLE = LineData(sku="KET-1", title="Kettle", quantity=1, unit_price=Decimal("49.90"))


def order_data(*, at: datetime | None, total: str = "49.90", name: str = "Mia") -> OrderData:
    return OrderData(
        number="1001",
        customer=CustomerData(email="mia@example.com", name=name),
        placed_at=T0,
        currency="EUR",
        total=Decimal(total),
        shipping_country="DE",
        lines=(replace(KETTLE, unit_price=Decimal(total)),),
        shop_updated_at=at,
    )


def test_a_row_older_than_the_stored_order_is_stale_and_changes_nothing():
    # given the order as the shop changed it at T0 + 2h
    orders_upsert(rows=[order_data(at=T0 + timedelta(hours=2), total="59.90", name="Mia Park")])
    order = Order.objects.get()
    # when the version of T0 + 1h comes late (a retried or replayed delivery)
    with CaptureQueriesContext(connection) as queries:
        result = orders_upsert(rows=[order_data(at=T0 + timedelta(hours=1), name="Mia")])
    # then it is counted as stale, and neither the order nor its customer changes
    assert (result.created, result.updated, result.unchanged, result.stale) == (0, 0, 0, 1)
    assert result.orders == [order]
    fresh = Order.objects.get()
    assert (fresh.total, fresh.shop_updated_at, fresh.updated_at) == (
        Decimal("59.90"),
        T0 + timedelta(hours=2),
        order.updated_at,
    )
    assert Customer.objects.get().name == "Mia Park"
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


def test_a_newer_row_updates_the_order_and_its_stamp():
    # given the order of T0
    orders_upsert(rows=[order_data(at=T0)])
    # when the version of T0 + 1h comes
    result = orders_upsert(rows=[order_data(at=T0 + timedelta(hours=1), total="59.90")])
    # then it is applied
    assert (result.updated, result.stale) == (1, 0)
    order = Order.objects.get()
    assert (order.total, order.shop_updated_at) == (Decimal("59.90"), T0 + timedelta(hours=1))


def test_a_row_of_the_same_instant_is_applied():
    # given the order of T0, when a row of the same instant differs (Shopify stamps to the
    # second: two changes within one second carry the same stamp), then it is applied
    orders_upsert(rows=[order_data(at=T0)])
    result = orders_upsert(rows=[order_data(at=T0, total="59.90")])
    assert (result.updated, result.stale) == (1, 0)


def test_a_newer_stamp_alone_is_kept_so_an_older_change_stays_out():
    # given the order of T0, and the shop's T0 + 2h version that changed nothing we keep
    orders_upsert(rows=[order_data(at=T0)])
    result = orders_upsert(rows=[order_data(at=T0 + timedelta(hours=2))])
    assert (result.updated, result.unchanged) == (0, 1)
    assert Order.objects.get().shop_updated_at == T0 + timedelta(hours=2)
    # when the T0 + 1h version, with another total, arrives after it
    late = orders_upsert(rows=[order_data(at=T0 + timedelta(hours=1), total="59.90")])
    # then it is stale: the T0 + 2h version said the total was 49.90
    assert late.stale == 1
    assert Order.objects.get().total == Decimal("49.90")


def test_a_row_without_a_stamp_is_applied_and_keeps_the_stored_one():
    # given the order as the shop stamped it
    orders_upsert(rows=[order_data(at=T0 + timedelta(hours=2))])
    # when the API sends a change without the shop's time, then it is applied
    result = orders_upsert(rows=[order_data(at=None, total="59.90")])
    assert result.updated == 1
    order = Order.objects.get()
    # and the stamp stays, so an older delivery is still recognised as stale
    assert (order.total, order.shop_updated_at) == (Decimal("59.90"), T0 + timedelta(hours=2))


def test_a_naive_stamp_is_refused():
    with pytest.raises(OrdersInvalid) as excinfo:
        orders_upsert(rows=[order_data(at=datetime(2026, 3, 1, 15, 0))])  # noqa: DTZ001
    assert excinfo.value.errors == {
        0: {
            "shop_updated_at": [
                "Give the time with its offset from UTC, e.g. 2026-03-01T14:30:00+01:00."
            ]
        }
    }
