"""Writing: customers, orders and their lines created or updated in a few set-based
statements. Each order is read once, locked, and compared with what the shop says now."""

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from tickets.models import Customer, Order

from .data import (
    CHUNK,
    CUSTOMER_FIELDS,
    ORDER_FIELDS,
    CustomerData,
    OrderCustomerLocked,
    OrderData,
    OrdersInvalid,
    UpsertResult,
    chunks,
    customer_locked_message,
    customer_values,
    email_key,
    order_of,
    order_values,
)
from .lines import LinePlan, lines_plan, lines_write, new_lines, stored_lines
from .validation import orders_normalise, orders_validate


def _customers_upsert(
    rows: Sequence[CustomerData], *, dry_run: bool, result: UpsertResult
) -> dict[str, Customer]:
    """Customers by lower-cased email: new ones created, details given in `rows` (the last
    one given wins) written where they differ."""
    emails: dict[str, str] = {}
    wanted: dict[str, dict[str, Any]] = {}
    for data in rows:
        key = email_key(data.email)
        emails.setdefault(key, data.email.strip())
        wanted.setdefault(key, {}).update(customer_values(data))
    # SQLite's LOWER() folds ASCII letters only: look up that spelling as well, so that an
    # address with a non-ASCII capital is found on either database.
    lookup = set(wanted) | {_ascii_lower(e) for e in emails.values() if not e.isascii()}
    found: dict[str, Customer] = {}
    for keys in chunks(sorted(lookup)):
        for match in Customer.objects.annotate(key=Lower("email")).filter(key__in=keys):
            found[email_key(match.email)] = match
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
    found.update((email_key(customer.email), customer) for customer in new)
    return found


def _ascii_lower(email: str) -> str:
    return "".join(char.lower() if char.isascii() else char for char in email.strip())


def _existing_orders(rows: Sequence[OrderData]) -> dict[tuple[str, str], Order]:
    """The stored orders of `rows`, locked until the upsert commits: two deliveries of one
    order (a webhook and an import) are compared and written one after the other. Locked in
    (store, number) order, so that two batches cannot wait on each other."""
    existing: dict[tuple[str, str], Order] = {}
    for chunk in chunks(sorted({(row.store, row.number) for row in rows})):
        numbers_by_store: dict[str, list[str]] = {}
        for store, number in chunk:
            numbers_by_store.setdefault(store, []).append(number)
        query = Q()
        for store, numbers in numbers_by_store.items():
            query |= Q(store=store, number__in=numbers)
        orders = Order.objects.filter(query).order_by("store", "number").select_for_update()
        for order in orders:
            existing[(order.store, order.number)] = order
    return existing


def _is_stale(order: Order, row: OrderData) -> bool:
    """Whether the shop changed the stored order after the version `row` describes."""
    return (
        row.shop_updated_at is not None
        and order.shop_updated_at is not None
        and row.shop_updated_at < order.shop_updated_at
    )


def _refuse_customer_moves(
    rows: Sequence[tuple[int, OrderData]],
    existing: dict[tuple[str, str], Order],
    customers: dict[str, Customer],
) -> None:
    """Raise OrderCustomerLocked naming every row that would give an order with cases to
    another customer."""
    moved = {}
    for index, row in rows:
        order = existing.get((row.store, row.number))
        if order is not None and order.customer_id != customers[email_key(row.customer.email)].pk:
            moved[order.pk] = (index, row)
    if not moved:
        return
    with_cases: dict[int, str] = {}
    for chunk in chunks(sorted(moved)):
        locked = Order.objects.filter(pk__in=chunk, cases__isnull=False)
        with_cases.update(locked.values_list("pk", "customer__email").distinct())
    errors = {
        index: {"customer.email": [customer_locked_message(row.number, with_cases[pk])]}
        for pk, (index, row) in moved.items()
        if pk in with_cases
    }
    if errors:
        raise OrderCustomerLocked(dict(sorted(errors.items())))


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


def _upsert(rows: Sequence[OrderData], *, dry_run: bool) -> UpsertResult:
    result = UpsertResult()
    now = timezone.now()
    existing = _existing_orders(rows)
    live = []
    for index, row in enumerate(rows):
        order = existing.get((row.store, row.number))
        if order is not None and _is_stale(order, row):
            result.stale += 1  # older than what we hold: neither the order nor its customer
        else:
            live.append((index, row))
    customers = _customers_upsert(
        [row.customer for _i, row in live], dry_run=dry_run, result=result
    )
    _refuse_customer_moves(live, existing, customers)
    stored = stored_lines(
        [order.pk for _i, row in live if (order := existing.get((row.store, row.number)))]
    )

    plan = LinePlan()
    new_orders: list[tuple[Order, OrderData]] = []
    changed_orders: list[Order] = []
    restamped: list[Order] = []
    for _index, row in live:
        customer = customers[email_key(row.customer.email)]
        order = existing.get((row.store, row.number))
        if order is None:
            new_orders.append((order_of(row, customer), row))
            continue
        values = order_values(row, customer)
        lines_changed = lines_plan(
            order_id=order.pk, stored=stored.get(order.pk, []), lines=row.lines, plan=plan
        )
        stamp = row.shop_updated_at
        restamp = stamp is not None and stamp != order.shop_updated_at
        if _same(order, values) and not lines_changed:
            order.customer = customer  # saves the caller a query per order
            result.unchanged += 1
            # Nothing we keep changed, but the stamp moves on: a delivery older than this one
            # and newer than the stored stamp must not be applied after it.
            if restamp:
                order.shop_updated_at = stamp
                restamped.append(order)
            continue
        for name, value in values.items():
            setattr(order, name, value)
        if restamp:
            order.shop_updated_at = stamp
        order.updated_at = now
        changed_orders.append(order)
    result.created, result.updated = len(new_orders), len(changed_orders)
    new_by_key = {(order.store, order.number): order for order, _row in new_orders}
    result.orders = [
        existing.get((row.store, row.number)) or new_by_key[(row.store, row.number)] for row in rows
    ]
    if dry_run:
        return result

    Order.objects.bulk_create([order for order, _row in new_orders], batch_size=CHUNK)
    Order.objects.bulk_update(
        changed_orders, [*ORDER_FIELDS, "shop_updated_at", "updated_at"], batch_size=CHUNK
    )
    Order.objects.bulk_update(restamped, ["shop_updated_at"], batch_size=CHUNK)
    for order, row in new_orders:
        plan.new.extend(new_lines(order=order, lines=row.lines))
    lines_write(plan=plan, now=now)
    return result


def orders_upsert(*, rows: Sequence[OrderData], dry_run: bool = False) -> UpsertResult:
    """Create or update every order of `rows` with its lines and customer, all or nothing;
    with `dry_run`, count what would change and write nothing. Customers' phone numbers are
    stored in E.164 form (orders_normalise). Lines keep their identity across updates (see
    tickets.services.orders.lines). A row older than the stored order (`shop_updated_at`)
    is counted as stale and changes nothing, its customer included.

    Raises OrdersInvalid (nothing written) if any row is invalid, and its OrderCustomerLocked
    if a row would move an order that has cases to another customer."""
    rows = orders_normalise(rows)
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
