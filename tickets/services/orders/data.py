"""What an upsert takes (OrderData with its customer and lines), what it reports and raises,
and the model instances and field values built from its input."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Customer, Order

ORDER_FIELDS = [
    "customer", "placed_at", "currency", "subtotal", "shipping_total", "shipping_discount",
    "tax_total", "total", "shipping_country", "insured", "external_id",
]  # fmt: skip
AMOUNT_FIELDS = ["subtotal", "shipping_total", "shipping_discount", "tax_total", "total"]
CUSTOMER_FIELDS = ["name", "phone", "country", "language", "timezone"]
LINE_FIELDS = ["external_id", "sku", "title", "category", "quantity", "unit_price", "discount"]
# Keys per IN (...) lookup: Django caps SQLite statements at 999 bound parameters. Inserts
# and updates are split further by Django itself where a backend needs it.
CHUNK = 500

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True, slots=True)
class CustomerData:
    email: str
    name: str = ""
    phone: str = ""
    country: str = ""
    language: str = ""
    timezone: str = ""


@dataclass(frozen=True, slots=True)
class LineData:
    """One line; `discount` is the order's discounts allocated to it (all of its items),
    `external_id` the shop's own id of the line, which keeps it matched when its SKU changes,
    and `category` the shop's product category (return policies may exclude one)."""

    sku: str
    title: str
    quantity: int
    unit_price: Decimal
    discount: Decimal = Decimal(0)
    external_id: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True)
class OrderData:
    """One order as the shop has it. `shipping_total` is the shipping charged after its
    discounts (`shipping_discount`); `subtotal`, when omitted, is the sum of the lines after
    their discounts. `shop_updated_at`, when given, is the shop's "last changed" time: a row
    older than the stored order's is ignored as stale."""

    number: str
    customer: CustomerData
    placed_at: datetime
    currency: str
    total: Decimal
    shipping_country: str
    lines: tuple[LineData, ...] = ()
    subtotal: Decimal | None = None
    shipping_total: Decimal = Decimal(0)
    shipping_discount: Decimal = Decimal(0)
    tax_total: Decimal = Decimal(0)
    insured: bool = False
    external_id: str = ""
    store: str = "default"
    shop_updated_at: datetime | None = None


@dataclass
class UpsertResult:
    """What an upsert did (or, with dry_run, would do): orders counted once each."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    orders: list[Order] = field(default_factory=list)
    created_customers: list[Customer] = field(default_factory=list)
    updated_customers: list[Customer] = field(default_factory=list)


class OrdersInvalid(ApplicationError):
    """Some rows are invalid; `errors` maps each bad row's index to {field: [messages]}."""

    code = "invalid_orders"

    def __init__(self, errors: dict[int, dict[str, list[str]]], message: str = "") -> None:
        super().__init__(message or _("%(count)d order(s) are invalid.") % {"count": len(errors)})
        self.errors = errors


class OrderCustomerLocked(OrdersInvalid):
    """An update would move orders that have cases to another customer: their cases (and the
    portal access that goes with them) belong to the customer they were opened for. `errors`
    names `customer.email` of each such row."""

    code = "order_customer_locked"

    def __init__(self, errors: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(
            errors,
            _("%(count)d order(s) have support cases and cannot move to another customer.")
            % {"count": len(errors)},
        )


def customer_locked_message(number: str, current: str) -> str:
    return _(
        "Order %(number)s has support cases, so it stays with its customer %(current)s; "
        "it cannot move to another customer."
    ) % {"number": number, "current": current}


# --- Building model instances from the input ------------------------------------------------


def country_code(value: Any) -> Any:
    # CountryField accepts "de" and shows it as DE; storing what it shows keeps re-runs equal.
    return value.strip().upper() if isinstance(value, str) else value


def customer_values(data: CustomerData) -> dict[str, Any]:
    """The details `data` gives: empty ones are left as they are (or at their defaults)."""
    values = {name: getattr(data, name) for name in CUSTOMER_FIELDS if getattr(data, name)}
    if "country" in values:
        values["country"] = country_code(values["country"])
    return values


def customer_of(data: CustomerData) -> Customer:
    return Customer(email=data.email.strip(), **customer_values(data))


def line_values(line: LineData) -> dict[str, Any]:
    return {name: getattr(line, name) for name in LINE_FIELDS}


def line_total(line: LineData) -> Decimal:
    """What the line cost after its discounts (OrderLine.total, which the database computes)."""
    return line.unit_price * line.quantity - line.discount


def email_key(email: str) -> str:
    return email.strip().lower()


def subtotal_of(row: OrderData) -> Decimal:
    if row.subtotal is not None:
        return row.subtotal
    try:
        return sum((line_total(line) for line in row.lines), Decimal(0))
    except (TypeError, AttributeError, InvalidOperation):
        return Decimal(0)  # a line's own error says what is wrong with it


def order_values(row: OrderData, customer: Customer) -> dict[str, Any]:
    """The values of ORDER_FIELDS that `row` gives its order."""
    return {
        "customer": customer,
        "placed_at": row.placed_at,
        "currency": row.currency,
        "subtotal": subtotal_of(row),
        "shipping_total": row.shipping_total,
        "shipping_discount": row.shipping_discount,
        "tax_total": row.tax_total,
        "total": row.total,
        "shipping_country": country_code(row.shipping_country),
        "insured": row.insured,
        "external_id": row.external_id,
    }


def order_of(row: OrderData, customer: Customer) -> Order:
    return Order(
        store=row.store,
        number=row.number,
        shop_updated_at=row.shop_updated_at,
        **order_values(row, customer),
    )
