"""The order-lines migration numbers the lines already stored, so the first update after it
does not count every order as changed, and gives each line its total."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _migration_and_parent(executor: MigrationExecutor) -> tuple[tuple, tuple]:
    # Found by name, not number: migrations of parallel work are renumbered when merged.
    key = next(
        key
        for key in executor.loader.disk_migrations
        if key[0] == "tickets" and key[1].endswith("_order_lines_stores")
    )
    parent = next(p for p in executor.loader.graph.node_map[key].parents if p.key[0] == "tickets")
    return key, parent.key


def test_lines_stored_before_get_their_places_and_totals():
    executor = MigrationExecutor(connection)
    key, parent = _migration_and_parent(executor)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        # given two orders with lines, stored before the migration
        executor.migrate([parent])
        old = executor.loader.project_state([parent]).apps
        customer = old.get_model("tickets", "Customer").objects.create(email="mia@example.com")
        Order, OrderLine = old.get_model("tickets", "Order"), old.get_model("tickets", "OrderLine")
        placed = datetime(2026, 3, 1, tzinfo=UTC)
        orders = [
            Order.objects.create(
                number=number, customer=customer, placed_at=placed, currency="EUR",
                total=Decimal(10), shipping_country="DE",
            )
            for number in ("1", "2")
        ]  # fmt: skip
        for order, skus in zip(orders, (["A", "B", "C"], ["D"]), strict=True):
            for sku in skus:
                OrderLine.objects.create(
                    order=order, sku=sku, title=sku, quantity=2, unit_price=Decimal("1.25")
                )
        # when the migration runs
        executor = MigrationExecutor(connection)
        executor.migrate([key])
        new = executor.loader.project_state([key]).apps
        # then each order's lines are numbered from 0 in their old order, with their totals
        lines = new.get_model("tickets", "OrderLine").objects.order_by("order_id", "position")
        assert [(x.sku, x.position, x.discount, x.total) for x in lines] == [
            ("A", 0, Decimal(0), Decimal("2.500")),
            ("B", 1, Decimal(0), Decimal("2.500")),
            ("C", 2, Decimal(0), Decimal("2.500")),
            ("D", 0, Decimal(0), Decimal("2.500")),
        ]
    finally:
        MigrationExecutor(connection).migrate(leaves)
