"""Order intake: one set-based upsert used by the API, the Shopify webhook and CSV import.

Orders are matched by (store, number), customers by email (case-insensitively). The same
input twice writes nothing the second time."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Customer, Order, OrderLine
from tickets.validators import currency_precision, validate_amount_for_currency

# Keys per IN (...) lookup: Django caps SQLite statements at 999 bound parameters. Inserts
# and updates are split further by Django itself where a backend needs it.
CHUNK = 500
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


# --- Validation --------------------------------------------------------------------------------
#
# full_clean() of an order, its customer and two or three lines costs some 1.5 ms (Django's
# choice check walks django-countries' 250 countries on every call): a minute for the 40,000
# orders of a 100,000-row import. So each row first gets a quick check, some 20 times cheaper, that
# runs the models' own validators and accepts only what full_clean() would accept unchanged;
# a row it does not accept goes through full_clean(), which finds the problems and words them
# the one way the admin and the forms word them too.


PYTHON_TYPES: dict[type[models.Field], type] = {
    models.CharField: str,
    models.DecimalField: Decimal,
    models.IntegerField: int,
    models.BooleanField: bool,
    models.DateTimeField: datetime,
}


@dataclass(frozen=True)
class _FieldCheck:
    blank: bool
    python_type: type
    choices: frozenset[str] | None
    max_length: int | None
    validators: tuple  # the others: the length is compared here, without a call


@cache
def _field_checks(model: type[models.Model]) -> dict[str, _FieldCheck]:
    """What full_clean() checks of each plain field of `model`, read once from the model."""
    checks = {}
    for model_field in model._meta.concrete_fields:
        python_type = next(
            (kind for cls, kind in PYTHON_TYPES.items() if isinstance(model_field, cls)), None
        )
        if python_type is None or model_field.is_relation:
            continue
        choices = None
        if model_field.choices:
            choices = frozenset(str(key) for key, _label in model_field.flatchoices)
        max_length = getattr(model_field, "max_length", None) if python_type is str else None
        validators = tuple(
            v
            for v in model_field.validators
            if not (max_length is not None and isinstance(v, MaxLengthValidator))
        )
        checks[model_field.name] = _FieldCheck(
            model_field.blank, python_type, choices, max_length, validators
        )
    return checks


def _value_ok(check: _FieldCheck, value: Any) -> bool:
    """True only if full_clean() would accept `value` for the field as it is."""
    if value is None or value == "":
        return check.blank
    python_type = check.python_type
    if type(value) is not python_type and not (
        python_type is datetime and isinstance(value, datetime)
    ):
        return False
    if python_type is Decimal and not value.is_finite():
        return False
    if check.choices is not None and value not in check.choices:
        return False
    if check.max_length is not None and len(value) > check.max_length:
        return False
    try:
        for validator in check.validators:
            validator(value)
    except ValidationError:
        return False
    return True


def _values_ok(model: type[models.Model], values: dict[str, Any]) -> bool:
    checks = _field_checks(model)
    return all(_value_ok(checks[name], value) for name, value in values.items())


def _precision_ok(amount: Decimal, currency: str) -> bool:
    return amount == amount.quantize(_quantum(currency))


@lru_cache(maxsize=64)
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-currency_precision(currency))


# Customers come back order after order, and products line after line: remember what passed
# (never the messages, which depend on the active language).
@lru_cache(maxsize=65536)
def _customer_ok(data: CustomerData) -> bool:
    return isinstance(data.email, str) and _values_ok(
        Customer, {"email": data.email.strip(), **_customer_values(data)}
    )


@lru_cache(maxsize=65536)
def _line_ok(line: LineData, currency: str, *exactly: object) -> bool:
    """`exactly` tells apart what compares equal but validates differently (1.5 and 1.500)."""
    return _values_ok(OrderLine, _line_values(line)) and _precision_ok(line.unit_price, currency)


def _cached(check: Callable[..., bool], *args: Any) -> bool:
    try:
        return check(*args)
    except TypeError:  # unhashable, e.g. a list where a string belongs: full_clean() says why
        return False


def _row_ok(row: OrderData) -> bool:
    """The quick check: True only for a row full_clean() and the extra rules would accept."""
    if (
        not row.lines
        or not isinstance(row.customer, CustomerData)
        or not _cached(_customer_ok, row.customer)
        or _placed_at_error(row) is not None
    ):
        return False
    currency = row.currency
    subtotal = _subtotal(row)
    order_values = {
        "store": row.store,
        "number": row.number,
        "external_id": row.external_id,
        "placed_at": row.placed_at,
        "currency": currency,
        "subtotal": subtotal,
        "shipping_total": row.shipping_total,
        "tax_total": row.tax_total,
        "total": row.total,
        "shipping_country": _country(row.shipping_country),
        "insured": row.insured,
    }
    if not _values_ok(Order, order_values):
        return False
    amounts = (subtotal, row.shipping_total, row.tax_total, row.total)
    if not all(_precision_ok(amount, currency) for amount in amounts):
        return False
    return all(
        isinstance(line, LineData)
        and _cached(
            _line_ok,
            line,
            currency,
            str(line.unit_price),
            type(line.unit_price),
            type(line.quantity),
        )
        for line in row.lines
    )


def _placed_at_error(row: OrderData) -> str | None:
    if not isinstance(row.placed_at, datetime):
        return _("Enter a valid date and time.")
    if timezone.is_naive(row.placed_at):
        return _("Give the time with its offset from UTC, e.g. 2026-03-01T14:30:00+01:00.")
    return None


def _messages(error: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    as_dict = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {
        (prefix + name if name != "__all__" else prefix.rstrip(".") or "non_field_errors"): msgs
        for name, msgs in as_dict.items()
    }


def _row_errors(row: OrderData) -> dict[str, list[str]]:
    """Every problem of one row, found by the models' full_clean() and worded by it."""
    row_errors: dict[str, list[str]] = {}
    customer = _customer(row.customer)
    try:
        customer.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        row_errors.update(_messages(exc, "customer."))
    order = _order(row, customer)
    exclude = ["customer"]
    placed_at_error = _placed_at_error(row)
    if placed_at_error:
        row_errors["placed_at"] = [placed_at_error]
        exclude.append("placed_at")
    try:
        # Constraints repeat the field validators here, and checking them costs a query each.
        order.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        row_errors.update(_messages(exc))
    # Order.clean() stops at the first amount with too many decimals; name all of them.
    for name in AMOUNT_FIELDS:
        amount = getattr(order, name)
        if name not in row_errors and isinstance(amount, Decimal) and amount.is_finite():
            try:
                validate_amount_for_currency(amount, order.currency, name)
            except ValidationError as exc:
                row_errors.update(_messages(exc))
    if not row.lines:
        row_errors["lines"] = [_("An order needs at least one line.")]
    line_errors = _line_errors(row, order)
    if line_errors and row.subtotal is None:
        row_errors.pop("subtotal", None)  # the lines' sum: their own errors say what is wrong
    row_errors.update(line_errors)
    return row_errors


def _line_errors(row: OrderData, order: Order) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for number, line in enumerate(row.lines):
        try:
            if not isinstance(line, LineData):
                raise ValidationError(_("Not an order line."))
            OrderLine(order=order, **_line_values(line)).full_clean(
                exclude=["order"], validate_constraints=False
            )
        except ValidationError as exc:
            errors.update(_messages(exc, f"lines[{number}]."))
    return errors


def orders_validate(rows: Sequence[OrderData]) -> dict[int, dict[str, list[str]]]:
    """Field errors of each invalid row by index ({} when all are valid). Reads nothing from
    the database: uniqueness is what the upsert resolves, not an error."""
    errors: dict[int, dict[str, list[str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(rows):
        row_errors = {} if _row_ok(row) else _row_errors(row)
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


# --- Writing -----------------------------------------------------------------------------------


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
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
        for customer in Customer.objects.annotate(key=Lower("email")).filter(key__in=keys):
            found[_email_key(customer.email)] = customer
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


def _stored_lines(order_ids: list[int]) -> dict[int, list[tuple]]:
    stored: dict[int, list[tuple]] = {}
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


def _lines_of(row: OrderData) -> list[tuple]:
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
