"""Checking order rows the way the models' full_clean() does, without the database."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.models import Customer, Order, OrderLine
from tickets.validators import currency_precision, validate_amount_for_currency

from .data import (
    AMOUNT_FIELDS,
    CustomerData,
    LineData,
    OrderData,
    _country,
    _customer,
    _customer_values,
    _line_values,
    _order,
    _subtotal,
)

# full_clean() of an order, its customer and two or three lines costs some 1.5 ms (Django's
# choice check walks django-countries' 250 countries on every call): a minute for the 40,000
# orders of a 100,000-row import. So each row first gets a quick check, some 20 times cheaper, that
# runs the models' own validators and accepts only what full_clean() would accept unchanged;
# a row it does not accept goes through full_clean(), which finds the problems and words them
# the one way the admin and the forms word them too.


PYTHON_TYPES: "dict[type[models.Field[Any, Any]], type]" = {
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
    # the others: the length is compared here, without a call
    validators: tuple[Callable[[Any], object], ...]


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
    if python_type is Decimal and not cast(Decimal, value).is_finite():
        return False
    if check.choices is not None and value not in check.choices:
        return False
    if check.max_length is not None and len(cast(str, value)) > check.max_length:
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
