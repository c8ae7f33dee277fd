"""Order intake: one set-based upsert used by the API, the Shopify webhook and CSV import.

Orders are matched by (store, number), customers by email (case-insensitively). The same
input twice writes nothing the second time."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Customer, Order, OrderLine

# Rows per IN (...) lookup: SQLite allows 999 host parameters on older builds.
CHUNK = 500
ORDER_FIELDS = [
    "customer", "placed_at", "currency", "subtotal", "shipping_total", "tax_total", "total",
    "shipping_country", "insured", "external_id",
]  # fmt: skip
CUSTOMER_FIELDS = ["name", "phone", "country", "language", "timezone"]


@dataclass(frozen=True)
class CustomerData:
    email: str
    name: str = ""
    phone: str = ""
    country: str = ""
    language: str = ""
    timezone: str = ""


@dataclass(frozen=True)
class LineData:
    sku: str
    title: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class OrderData:
    number: str
    customer: CustomerData
    placed_at: datetime
    currency: str
    total: Decimal
    shipping_country: str
    lines: tuple[LineData, ...] = ()
    subtotal: Decimal | None = None
    shipping_total: Decimal = Decimal(0)
    tax_total: Decimal = Decimal(0)
    insured: bool = False
    external_id: str = ""
    store: str = "default"


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    orders: list[Order] = field(default_factory=list)


class OrdersInvalid(ApplicationError):
    """Some rows are invalid; `errors` maps each bad row's index to {field: [messages]}."""

    code = "invalid_orders"

    def __init__(self, errors: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(_("%(count)d order(s) are invalid.") % {"count": len(errors)})
        self.errors = errors


def _messages(error: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    as_dict = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {
        (prefix + name if name != "__all__" else prefix.rstrip(".") or "non_field_errors"): msgs
        for name, msgs in as_dict.items()
    }


def _subtotal(row: OrderData) -> Decimal:
    if row.subtotal is not None:
        return row.subtotal
    return sum((line.unit_price * line.quantity for line in row.lines), Decimal(0))


def _customer(data: CustomerData) -> Customer:
    values = {name: getattr(data, name) for name in CUSTOMER_FIELDS if getattr(data, name)}
    return Customer(email=data.email.strip(), **values)


def _order(row: OrderData, customer: Customer) -> Order:
    return Order(
        store=row.store,
        number=row.number,
        customer=customer,
        placed_at=row.placed_at,
        currency=row.currency,
        subtotal=_subtotal(row),
        shipping_total=row.shipping_total,
        tax_total=row.tax_total,
        total=row.total,
        shipping_country=row.shipping_country,
        insured=row.insured,
        external_id=row.external_id,
    )


def orders_validate(rows: Sequence[OrderData]) -> dict[int, dict[str, list[str]]]:
    """Field errors of each invalid row by index ({} when all are valid). Reads nothing from
    the database: uniqueness is what the upsert resolves, not an error."""
    errors: dict[int, dict[str, list[str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(rows):
        row_errors: dict[str, list[str]] = {}
        customer = _customer(row.customer)
        try:
            customer.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            row_errors.update(_messages(exc, "customer."))
        order = _order(row, customer)
        try:
            order.full_clean(
                exclude=["customer"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            row_errors.update(_messages(exc))
        if not row.lines:
            row_errors["lines"] = [_("An order needs at least one line.")]
        for number, line in enumerate(row.lines):
            try:
                OrderLine(order=order, **vars(line)).full_clean(exclude=["order"])
            except ValidationError as exc:
                row_errors.update(_messages(exc, f"lines[{number}]."))
        key = (row.store, row.number)
        if key in seen:
            row_errors.setdefault("number", []).append(
                _("Order %(number)s appears twice in this batch (rows %(first)d and %(second)d).")
                % {"number": row.number, "first": seen[key] + 1, "second": index + 1}
            )
        seen.setdefault(key, index)
        if row_errors:
            errors[index] = row_errors
    return errors


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _customers_upsert(rows: Sequence[CustomerData]) -> dict[str, Customer]:
    """Customers by lower-cased email: new ones created, changed details updated."""
    wanted = {data.email.strip().lower(): data for data in rows}
    found: dict[str, Customer] = {}
    for emails in _chunks(list(wanted)):
        for customer in Customer.objects.annotate(key=Lower("email")).filter(key__in=emails):
            found[customer.key] = customer
    changed = []
    for key, data in wanted.items():
        customer = found.get(key)
        if customer is None:
            continue
        values = {name: getattr(data, name) for name in CUSTOMER_FIELDS if getattr(data, name)}
        if any(str(getattr(customer, name)) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(customer, name, value)
            customer.updated_at = timezone.now()
            changed.append(customer)
    Customer.objects.bulk_update(changed, [*CUSTOMER_FIELDS, "updated_at"], batch_size=CHUNK)
    new = [_customer(data) for key, data in wanted.items() if key not in found]
    for customer in Customer.objects.bulk_create(new, batch_size=CHUNK):
        found[customer.email.lower()] = customer
    return found


def _same(order: Order, fresh: Order) -> bool:
    return all(
        str(getattr(order, name)) == str(getattr(fresh, name))
        if name == "shipping_country"
        else getattr(order, name) == getattr(fresh, name)
        for name in ORDER_FIELDS
        if name != "customer"
    ) and (order.customer_id == fresh.customer.pk)


def _lines_of(row: OrderData) -> list[tuple]:
    return [(line.sku, line.title, line.quantity, line.unit_price) for line in row.lines]


@transaction.atomic
def orders_upsert(*, rows: Sequence[OrderData]) -> UpsertResult:
    """Create or update every order of `rows` with its lines and customer, all or nothing.

    Raises OrdersInvalid (nothing written) if any row is invalid."""
    errors = orders_validate(rows)
    if errors:
        raise OrdersInvalid(errors)
    customers = _customers_upsert([row.customer for row in rows])
    existing: dict[tuple[str, str], Order] = {}
    for stores_numbers in _chunks([(row.store, row.number) for row in rows]):
        stores = {store for store, _number in stores_numbers}
        numbers = {number for _store, number in stores_numbers}
        for order in Order.objects.filter(store__in=stores, number__in=numbers).prefetch_related(
            "lines"
        ):
            existing[(order.store, order.number)] = order

    result = UpsertResult()
    new_orders, changed_orders, relined = [], [], []
    now = timezone.now()
    for row in rows:
        fresh = _order(row, customers[row.customer.email.strip().lower()])
        order = existing.get((row.store, row.number))
        if order is None:
            new_orders.append((fresh, row))
            result.orders.append(fresh)
            continue
        stored_lines = [(x.sku, x.title, x.quantity, x.unit_price) for x in order.lines.all()]
        lines_changed = stored_lines != _lines_of(row)
        if _same(order, fresh) and not lines_changed:
            result.unchanged += 1
        else:
            for name in ORDER_FIELDS:
                setattr(order, name, getattr(fresh, name))
            order.updated_at = now
            changed_orders.append(order)
            if lines_changed:
                relined.append((order, row))
        result.orders.append(order)

    Order.objects.bulk_create([order for order, _row in new_orders], batch_size=CHUNK)
    Order.objects.bulk_update(changed_orders, [*ORDER_FIELDS, "updated_at"], batch_size=CHUNK)
    for orders in _chunks([order.pk for order, _row in relined]):
        OrderLine.objects.filter(order_id__in=orders).delete()
    OrderLine.objects.bulk_create(
        [
            OrderLine(order=order, **vars(line))
            for order, row in [*new_orders, *relined]
            for line in row.lines
        ],
        batch_size=CHUNK,
    )
    result.created, result.updated = len(new_orders), len(changed_orders)
    return result
