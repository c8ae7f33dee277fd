"""Checking order rows the way the models' full_clean() does, without the database."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
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
from tickets.validators import (
    E164_SHAPE,
    currency_precision,
    phone_normalise,
    validate_amount_for_currency,
)

from .data import (
    AMOUNT_FIELDS,
    CustomerData,
    LineData,
    OrderData,
    country_code,
    customer_of,
    customer_values,
    line_values,
    order_of,
    subtotal_of,
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


# --- Phone numbers -------------------------------------------------------------------------


@lru_cache(maxsize=65536)  # a customer's number comes back order after order
def _phone_e164(phone: str, region: str) -> str | None:
    try:
        return phone_normalise(phone, region)
    except ValidationError:
        return None


def _phone_region(row: OrderData) -> str:
    """The country a number without country code is read in: the customer's, else the
    shipping country's."""
    for country in (row.customer.country, row.shipping_country):
        if isinstance(country, str) and country.strip():
            return country
    return ""


def _phone_pending(row: OrderData) -> bool:
    phone = row.customer.phone if isinstance(row.customer, CustomerData) else None
    return isinstance(phone, str) and bool(phone) and not E164_SHAPE.fullmatch(phone)


def orders_normalise(rows: Sequence[OrderData]) -> list[OrderData]:
    """`rows` with each customer's phone number in E.164 form where it can be read (see
    tickets.validators.phone_normalise); a number that cannot be read is left for
    orders_validate to name."""
    normalised = []
    for row in rows:
        if _phone_pending(row):
            e164 = _phone_e164(row.customer.phone, _phone_region(row))
            if e164 is not None:
                row = replace(row, customer=replace(row.customer, phone=e164))
        normalised.append(row)
    return normalised


def _phone_error(row: OrderData) -> str | None:
    """Why the customer's phone number cannot be read, worded by the normaliser."""
    if not _phone_pending(row):
        return None
    try:
        phone_normalise(row.customer.phone, _phone_region(row))
    except ValidationError as exc:
        return exc.messages[0]
    return None


# Customers come back order after order, and products line after line: remember what passed
# (never the messages, which depend on the active language).
@lru_cache(maxsize=65536)
def _customer_ok(data: CustomerData) -> bool:
    return isinstance(data.email, str) and _values_ok(
        Customer, {"email": data.email.strip(), **customer_values(data)}
    )


@lru_cache(maxsize=65536)
def _line_ok(line: LineData, currency: str, *exactly: object) -> bool:
    """`exactly` tells apart what compares equal but validates differently (1.5 and 1.500)."""
    return (
        _values_ok(OrderLine, line_values(line))
        and _precision_ok(line.unit_price, currency)
        and _precision_ok(line.discount, currency)
        and line.discount <= line.unit_price * line.quantity
    )


def _cached(check: Callable[..., bool], *args: Any) -> bool:
    try:
        return check(*args)
    except TypeError:  # unhashable, e.g. a list where a string belongs: full_clean() says why
        return False


def row_ok(row: OrderData) -> bool:
    """The quick check: True only for a row full_clean() and the extra rules would accept."""
    if (
        not row.lines
        or not isinstance(row.customer, CustomerData)
        or not _cached(_customer_ok, row.customer)
        or _placed_at_error(row) is not None
        or _shop_updated_at_error(row) is not None
        or _repeated_line_ids(row)
    ):
        return False
    currency = row.currency
    subtotal = subtotal_of(row)
    order_values = {
        "store": row.store,
        "number": row.number,
        "external_id": row.external_id,
        "placed_at": row.placed_at,
        "currency": currency,
        "subtotal": subtotal,
        "shipping_total": row.shipping_total,
        "shipping_discount": row.shipping_discount,
        "tax_total": row.tax_total,
        "total": row.total,
        "shipping_country": country_code(row.shipping_country),
        "insured": row.insured,
        "shop_updated_at": row.shop_updated_at,
    }
    if not _values_ok(Order, order_values):
        return False
    amounts = (subtotal, row.shipping_total, row.shipping_discount, row.tax_total, row.total)
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
            str(line.discount),
            type(line.discount),
        )
        for line in row.lines
    )


def _aware_error(value: object) -> str | None:
    if not isinstance(value, datetime):
        return _("Enter a valid date and time.")
    if timezone.is_naive(value):
        return _("Give the time with its offset from UTC, e.g. 2026-03-01T14:30:00+01:00.")
    return None


def _placed_at_error(row: OrderData) -> str | None:
    return _aware_error(row.placed_at)


def _shop_updated_at_error(row: OrderData) -> str | None:
    return None if row.shop_updated_at is None else _aware_error(row.shop_updated_at)


def _repeated_line_ids(row: OrderData) -> dict[int, str]:
    """Lines that repeat the shop's id of an earlier line of the order, by index."""
    seen: set[object] = set()
    repeated: dict[int, str] = {}
    if all(not getattr(line, "external_id", "") for line in row.lines):
        return repeated
    for index, line in enumerate(row.lines):
        external_id = getattr(line, "external_id", "")
        if external_id and external_id in seen:
            repeated[index] = external_id
        seen.add(external_id)
    return repeated


def _messages(error: ValidationError, prefix: str = "") -> dict[str, list[str]]:
    as_dict = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {
        (prefix + name if name != "__all__" else prefix.rstrip(".") or "non_field_errors"): msgs
        for name, msgs in as_dict.items()
    }


def _row_errors(row: OrderData) -> dict[str, list[str]]:
    """Every problem of one row, found by the models' full_clean() and worded by it."""
    row_errors: dict[str, list[str]] = {}
    customer = customer_of(row.customer)
    phone_error = _phone_error(row)
    try:
        customer.full_clean(
            exclude=["phone"] if phone_error else None,
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        row_errors.update(_messages(exc, "customer."))
    if phone_error:
        row_errors["customer.phone"] = [phone_error]
    order = order_of(row, customer)
    exclude = ["customer"]
    for name, error in (
        ("placed_at", _placed_at_error(row)),
        ("shop_updated_at", _shop_updated_at_error(row)),
    ):
        if error:
            row_errors[name] = [error]
            exclude.append(name)
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
            OrderLine(order=order, **line_values(line)).full_clean(
                exclude=["order"], validate_constraints=False
            )
        except ValidationError as exc:
            errors.update(_messages(exc, f"lines[{number}]."))
    for number, external_id in _repeated_line_ids(row).items():
        errors.setdefault(f"lines[{number}].external_id", []).append(
            _("Another line of this order has the id %(id)s.") % {"id": external_id}
        )
    return errors


def orders_validate(rows: Sequence[OrderData]) -> dict[int, dict[str, list[str]]]:
    """Field errors of each invalid row by index ({} when all are valid), with phone numbers
    read as orders_normalise reads them. Reads nothing from the database: uniqueness is what
    the upsert resolves, not an error."""
    errors: dict[int, dict[str, list[str]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(orders_normalise(rows)):
        row_errors = {} if row_ok(row) else _row_errors(row)
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
