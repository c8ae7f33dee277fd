"""What an upsert takes (OrderData with its customer and lines), what it reports and raises,
and the model instances and field values built from its input."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Customer, Order

ORDER_FIELDS = [
    "customer", "placed_at", "currency", "subtotal", "shipping_total", "tax_total", "total",
    "shipping_country", "insured", "external_id",
]  # fmt: skip
AMOUNT_FIELDS = ["subtotal", "shipping_total", "tax_total", "total"]
CUSTOMER_FIELDS = ["name", "phone", "country", "language", "timezone"]
LINE_FIELDS = ["sku", "title", "quantity", "unit_price"]


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
    sku: str
    title: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
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
    """What an upsert did (or, with dry_run, would do): orders counted once each."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    orders: list[Order] = field(default_factory=list)
    created_customers: list[Customer] = field(default_factory=list)
    updated_customers: list[Customer] = field(default_factory=list)


class OrdersInvalid(ApplicationError):
    """Some rows are invalid; `errors` maps each bad row's index to {field: [messages]}."""

    code = "invalid_orders"

    def __init__(self, errors: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(_("%(count)d order(s) are invalid.") % {"count": len(errors)})
        self.errors = errors


# --- Building model instances from the input ------------------------------------------------


def _country(value: Any) -> Any:
    # CountryField accepts "de" and shows it as DE; storing what it shows keeps re-runs equal.
    return value.strip().upper() if isinstance(value, str) else value


def _customer_values(data: CustomerData) -> dict[str, Any]:
    """The details `data` gives: empty ones are left as they are (or at their defaults)."""
    values = {name: getattr(data, name) for name in CUSTOMER_FIELDS if getattr(data, name)}
    if "country" in values:
        values["country"] = _country(values["country"])
    return values


def _customer(data: CustomerData) -> Customer:
    return Customer(email=data.email.strip(), **_customer_values(data))


def _line_values(line: LineData) -> dict[str, Any]:
    return {name: getattr(line, name) for name in LINE_FIELDS}


def _email_key(email: str) -> str:
    return email.strip().lower()


def _subtotal(row: OrderData) -> Decimal:
    if row.subtotal is not None:
        return row.subtotal
    try:
        return sum((line.unit_price * line.quantity for line in row.lines), Decimal(0))
    except (TypeError, AttributeError, InvalidOperation):
        return Decimal(0)  # a line's own error says what is wrong with it


def _order_values(row: OrderData, customer: Customer) -> dict[str, Any]:
    """The values of ORDER_FIELDS that `row` gives its order."""
    return {
        "customer": customer,
        "placed_at": row.placed_at,
        "currency": row.currency,
        "subtotal": _subtotal(row),
        "shipping_total": row.shipping_total,
        "tax_total": row.tax_total,
        "total": row.total,
        "shipping_country": _country(row.shipping_country),
        "insured": row.insured,
        "external_id": row.external_id,
    }


def _order(row: OrderData, customer: Customer) -> Order:
    return Order(store=row.store, number=row.number, **_order_values(row, customer))
