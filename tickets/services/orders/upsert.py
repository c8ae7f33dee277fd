"""Writing: customers and orders created or updated in a few set-based statements."""

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tickets.models import Customer, Order, OrderLine

from .data import (
    CUSTOMER_FIELDS,
    LINE_FIELDS,
    ORDER_FIELDS,
    CustomerData,
    OrderData,
    OrdersInvalid,
    UpsertResult,
    _customer_values,
    _email_key,
    _line_values,
    _order,
    _order_values,
)
from .validation import orders_validate

# Keys per IN (...) lookup: Django caps SQLite statements at 999 bound parameters. Inserts
# and updates are split further by Django itself where a backend needs it.
CHUNK = 500

T = TypeVar("T")


def _chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _customers_upsert(
    rows: Sequence[CustomerData], *, dry_run: bool, result: UpsertResult
) -> dict[str, Customer]:
    """Customers by lower-cased email: new ones created, details given in `rows` (the last
    one given wins) written where they differ."""
    emails: dict[str, str] = {}
    wanted: dict[str, dict[str, Any]] = {}
    for data in rows:
        key = _email_key(data.email)
        emails.setdefault(key, data.email.strip())
        wanted.setdefault(key, {}).update(_customer_values(data))
    # SQLite's LOWER() folds ASCII letters only: look up that spelling as well, so that an
    # address with a non-ASCII capital is found on either database.
    lookup = set(wanted) | {_ascii_lower(e) for e in emails.values() if not e.isascii()}
    found: dict[str, Customer] = {}
    for keys in _chunks(sorted(lookup)):
        for match in Customer.objects.annotate(key=Lower("email")).filter(key__in=keys):
            found[_email_key(match.email)] = match
    changed, now = [], timezone.now()
    for key, values in wanted.items():
        customer = found.get(key)
        if customer is None or all(
            str(getattr(customer, name)) == value for name, value in values.items()
        ):
            continue
        for name, value in values.items():
            setattr(customer, name, value)
        customer.updated_at = now
        changed.append(customer)
    new = [Customer(email=emails[key], **wanted[key]) for key in wanted if key not in found]
    result.created_customers, result.updated_customers = new, changed
    if not dry_run:
        Customer.objects.bulk_update(changed, [*CUSTOMER_FIELDS, "updated_at"], batch_size=CHUNK)
        Customer.objects.bulk_create(new, batch_size=CHUNK)
    found.update((_email_key(customer.email), customer) for customer in new)
    return found


def _ascii_lower(email: str) -> str:
    return "".join(char.lower() if char.isascii() else char for char in email.strip())


def _existing_orders(rows: Sequence[OrderData]) -> dict[tuple[str, str], Order]:
    existing: dict[tuple[str, str], Order] = {}
    for chunk in _chunks([(row.store, row.number) for row in rows]):
        numbers_by_store: dict[str, list[str]] = {}
        for store, number in chunk:
            numbers_by_store.setdefault(store, []).append(number)
        query = Q()
        for store, numbers in numbers_by_store.items():
            query |= Q(store=store, number__in=numbers)
        for order in Order.objects.filter(query):
            existing[(order.store, order.number)] = order
    return existing


def _stored_lines(order_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    stored: dict[int, list[tuple[Any, ...]]] = {}
    for chunk in _chunks(order_ids):
        lines = OrderLine.objects.filter(order_id__in=chunk).order_by("order_id", "pk")
        for order_id, *line in lines.values_list("order_id", *LINE_FIELDS):
            stored.setdefault(order_id, []).append(tuple(line))
    return stored


def _same(order: Order, values: dict[str, Any]) -> bool:
    return (
        order.customer_id == values["customer"].pk
        and str(order.shipping_country) == values["shipping_country"]
        and all(
            getattr(order, name) == values[name]
            for name in ORDER_FIELDS
            if name not in ("customer", "shipping_country")
        )
    )


def _lines_of(row: OrderData) -> list[tuple[Any, ...]]:
    return [(line.sku, line.title, line.quantity, line.unit_price) for line in row.lines]


def _upsert(rows: Sequence[OrderData], *, dry_run: bool) -> UpsertResult:
    result = UpsertResult()
    customers = _customers_upsert([row.customer for row in rows], dry_run=dry_run, result=result)
    existing = _existing_orders(rows)
    stored_lines = _stored_lines([order.pk for order in existing.values()])
    new_orders, changed_orders, relined = [], [], []
    now = timezone.now()
    for row in rows:
        customer = customers[_email_key(row.customer.email)]
        order = existing.get((row.store, row.number))
        if order is None:
            fresh = _order(row, customer)
            new_orders.append((fresh, row))
            result.orders.append(fresh)
            continue
        values = _order_values(row, customer)
        lines_changed = stored_lines.get(order.pk, []) != _lines_of(row)
        if _same(order, values) and not lines_changed:
            order.customer = customer  # saves the caller a query per order
            result.unchanged += 1
        else:
            for name, value in values.items():
                setattr(order, name, value)
            order.updated_at = now
            changed_orders.append(order)
            if lines_changed:
                relined.append((order, row))
        result.orders.append(order)
    result.created, result.updated = len(new_orders), len(changed_orders)
    if dry_run:
        return result

    Order.objects.bulk_create([order for order, _row in new_orders], batch_size=CHUNK)
    Order.objects.bulk_update(changed_orders, [*ORDER_FIELDS, "updated_at"], batch_size=CHUNK)
    # Changed lines are replaced, not matched up: nothing refers to an order line yet. Once
    # something does (a return's lines), match them by SKU here instead.
    for order_ids in _chunks([order.pk for order, _row in relined]):
        OrderLine.objects.filter(order_id__in=order_ids).delete()
    OrderLine.objects.bulk_create(
        [
            OrderLine(order=order, **_line_values(line))
            for order, row in [*new_orders, *relined]
            for line in row.lines
        ],
        batch_size=CHUNK,
    )
    return result


def orders_upsert(*, rows: Sequence[OrderData], dry_run: bool = False) -> UpsertResult:
    """Create or update every order of `rows` with its lines and customer, all or nothing;
    with `dry_run`, count what would change and write nothing.

    Raises OrdersInvalid (nothing written) if any row is invalid."""
    errors = orders_validate(rows)
    if errors:
        raise OrdersInvalid(errors)
    try:
        with transaction.atomic():
            return _upsert(rows, dry_run=dry_run)
    except IntegrityError:
        # Someone else (the webhook, another import) inserted one of these orders or customers
        # between our read and our insert; reading again finds it and updates it instead.
        with transaction.atomic():
            return _upsert(rows, dry_run=dry_run)
