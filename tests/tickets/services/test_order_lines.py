"""Order lines keep their identity across updates: matched by the shop's line id, else by SKU
and place, updated in place, and retired (deleted, or marked removed once referenced)."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from tickets.models import OrderLine
from tickets.services.orders import (
    CustomerData,
    LineData,
    OrderData,
    lines_referenced,
    orders_upsert,
)

PLACED = datetime(2026, 3, 1, 14, 30, tzinfo=UTC)
KETTLE = LineData(sku="KET-1", title="Kettle", quantity=1, unit_price=Decimal("49.90"))
MUG = LineData(sku="MUG-2", title="Mug", quantity=2, unit_price=Decimal("7.50"))
TEA = LineData(sku="TEA-1", title="Tea", quantity=1, unit_price=Decimal("5.00"))


def order_data(*lines: LineData, number: str = "1001") -> OrderData:
    return OrderData(
        number=number,
        customer=CustomerData(email="mia@example.com"),
        placed_at=PLACED,
        currency="EUR",
        total=Decimal("100.00"),
        shipping_country="DE",
        lines=lines,
    )


def stored() -> list[tuple]:
    return list(
        OrderLine.objects.values_list("pk", "sku", "quantity", "position", "removed_at").order_by(
            "position", "pk"
        )
    )


def ids_by_sku() -> dict[str, int]:
    return dict(OrderLine.objects.values_list("sku", "pk"))


@pytest.mark.django_db
def test_a_changed_line_is_updated_in_place_and_keeps_its_id():
    # given an order with a kettle and two mugs
    orders_upsert(rows=[order_data(KETTLE, MUG)])
    before = ids_by_sku()
    # when the shop says three mugs now
    result = orders_upsert(rows=[order_data(KETTLE, replace(MUG, quantity=3))])
    # then the mug line is the same row with the new quantity
    assert result.updated == 1
    assert ids_by_sku() == before
    assert OrderLine.objects.get(pk=before["MUG-2"]).quantity == 3


@pytest.mark.django_db
def test_a_line_is_matched_by_the_shops_id_even_when_its_sku_changes():
    # given lines the shop identifies by its own ids
    orders_upsert(
        rows=[order_data(replace(KETTLE, external_id="L1"), replace(MUG, external_id="L2"))]
    )
    kettle = OrderLine.objects.get(external_id="L1")
    # when the shop corrects the kettle's SKU and title
    fixed = replace(KETTLE, sku="KET-1-EU", title="Kettle (EU plug)", external_id="L1")
    orders_upsert(rows=[order_data(fixed, replace(MUG, external_id="L2"))])
    # then it is the same line, corrected
    line = OrderLine.objects.get(pk=kettle.pk)
    assert (line.sku, line.title, line.external_id) == ("KET-1-EU", "Kettle (EU plug)", "L1")
    assert OrderLine.objects.count() == 2


@pytest.mark.django_db
def test_a_line_put_before_the_others_does_not_unpair_them():
    # given an order with a kettle and mugs, lines without ids of the shop
    orders_upsert(rows=[order_data(KETTLE, MUG)])
    before = ids_by_sku()
    # when the shop lists tea first and the others after it
    orders_upsert(rows=[order_data(TEA, KETTLE, MUG)])
    # then the kettle and mug lines keep their ids and move down one place
    after = ids_by_sku()
    assert (after["KET-1"], after["MUG-2"]) == (before["KET-1"], before["MUG-2"])
    assert [(sku, position) for _pk, sku, _q, position, _r in stored()] == [
        ("TEA-1", 0),
        ("KET-1", 1),
        ("MUG-2", 2),
    ]


@pytest.mark.django_db
def test_two_lines_of_one_sku_pair_in_their_order():
    # given two kettle lines (say, one engraved)
    orders_upsert(rows=[order_data(KETTLE, replace(KETTLE, title="Kettle, engraved"))])
    first, second = (pk for pk, *_rest in stored())
    # when the second one's quantity changes
    orders_upsert(rows=[order_data(KETTLE, replace(KETTLE, title="Kettle, engraved", quantity=2))])
    # then the second stored line took the change, the first is untouched
    assert [(pk, quantity) for pk, _sku, quantity, _p, _r in stored()] == [(first, 1), (second, 2)]


@pytest.mark.django_db
def test_a_line_nothing_points_at_is_deleted_when_the_shop_drops_it():
    # given an order with a kettle and mugs
    orders_upsert(rows=[order_data(KETTLE, MUG)])
    mug = ids_by_sku()["MUG-2"]
    # when the shop drops the kettle
    result = orders_upsert(rows=[order_data(MUG)])
    # then the kettle line is gone and the mug line is the same row, now first
    assert result.updated == 1
    assert stored() == [(mug, "MUG-2", 2, 0, None)]


@pytest.mark.django_db
def test_the_same_lines_again_write_nothing():
    # given an order whose lines were matched by SKU the first time
    orders_upsert(rows=[order_data(KETTLE, MUG, replace(KETTLE, title="Kettle, engraved"))])
    before = stored()
    # when the same order comes again, then nothing is written
    result = orders_upsert(
        rows=[order_data(KETTLE, MUG, replace(KETTLE, title="Kettle, engraved"))]
    )
    assert (result.updated, result.unchanged) == (0, 1)
    assert stored() == before


def _line_updates(rows: list[OrderData]) -> int:
    with CaptureQueriesContext(connection) as queries:
        orders_upsert(rows=rows)
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_changing_the_lines_of_100_orders_takes_a_handful_of_statements():
    # given 10 and 100 orders, each with a kettle and mugs
    small = [order_data(KETTLE, MUG, number=f"S{n}") for n in range(10)]
    large = [order_data(KETTLE, MUG, number=f"L{n}") for n in range(100)]
    orders_upsert(rows=[*small, *large])
    # when each drops its kettle, gains tea and changes its mugs
    change = {"lines": (TEA, replace(MUG, quantity=5))}
    small_queries = _line_updates([replace(row, **change) for row in small])
    large_queries = _line_updates([replace(row, **change) for row in large])
    # then each batch costs a few lookups, one delete (with a look at each model that points at
    # order lines: returns and wrong items do), one insert and the bulk updates (which Django
    # splits where SQLite's 999 parameters per statement run out), not a query a line
    assert small_queries <= large_queries <= 19
    assert OrderLine.objects.filter(sku="KET-1").count() == 0
    assert OrderLine.objects.filter(sku="MUG-2", quantity=5).count() == 110


# --- lines something points at ---------------------------------------------------------------


# The stand-in's table is made and dropped by the test, so it runs outside a transaction; the
# rows that migrations made (groups, SLA policies) come back afterwards for the next tests.
pointed_at = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def return_line_model():
    """A model of another app pointing at order lines, as returns' lines will: tickets does
    not know it, and the upsert must honour it all the same."""

    class ReturnLineStandIn(models.Model):
        order_line = models.ForeignKey(
            OrderLine, on_delete=models.PROTECT, related_name="return_lines_stand_in"
        )

        class Meta:
            app_label = "tickets"

        def __str__(self) -> str:
            return f"return of line {self.order_line_id}"

    with connection.schema_editor() as editor:
        editor.create_model(ReturnLineStandIn)
    yield ReturnLineStandIn
    with connection.schema_editor() as editor:
        editor.delete_model(ReturnLineStandIn)
    del apps.all_models["tickets"]["returnlinestandin"]
    apps.clear_cache()


@pointed_at
def test_a_line_something_points_at_is_marked_removed_not_deleted(return_line_model):
    # given an order whose kettle line a return points at
    orders_upsert(rows=[order_data(KETTLE, MUG)])
    kettle = OrderLine.objects.get(sku="KET-1")
    return_line_model.objects.create(order_line=kettle)
    assert lines_referenced([kettle.pk]) == {kettle.pk}
    # when the shop drops the kettle
    orders_upsert(rows=[order_data(MUG)])
    # then the kettle line stays, marked removed, and the return still points at it
    kettle.refresh_from_db()
    assert kettle.removed_at is not None
    assert return_line_model.objects.get().order_line_id == kettle.pk
    assert list(OrderLine.objects.filter(removed_at=None).values_list("sku", flat=True)) == [
        "MUG-2"
    ]


@pointed_at
def test_a_removed_line_that_comes_back_is_restored(return_line_model):
    # given a kettle line a return points at, dropped by the shop and so marked removed
    orders_upsert(rows=[order_data(KETTLE, MUG)])
    kettle = OrderLine.objects.get(sku="KET-1")
    return_line_model.objects.create(order_line=kettle)
    orders_upsert(rows=[order_data(MUG)])
    # when the shop lists it again
    orders_upsert(rows=[order_data(KETTLE, MUG)])
    # then it is the same line, current again, and nothing was added
    kettle.refresh_from_db()
    assert (kettle.removed_at, kettle.position) == (None, 0)
    assert OrderLine.objects.count() == 2


@pointed_at
def test_lines_nothing_points_at_are_not_referenced(return_line_model):
    orders_upsert(rows=[order_data(KETTLE, MUG)])
    assert lines_referenced(list(OrderLine.objects.values_list("pk", flat=True))) == set()
