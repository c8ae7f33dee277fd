"""The file side of `manage.py import_orders`: its columns, the cells read into typed values,
each order's lines gathered into the OrderData orders_upsert takes, and the service's errors
mapped back to the file's lines and columns. Not a command: Django skips modules named "_…"."""

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tickets.services.orders import CustomerData, LineData, OrderData

ORDER_COLUMNS = (
    "order_number", "placed_at", "currency", "customer_email", "customer_name",
    "customer_phone", "customer_country", "customer_language", "shipping_country", "subtotal",
    "shipping_total", "shipping_discount", "tax_total", "total", "insured", "shop_updated_at",
)  # fmt: skip
LINE_COLUMNS = ("sku", "title", "quantity", "unit_price", "discount", "line_id")
OPTIONAL = {
    "customer_name", "customer_phone", "customer_country", "customer_language", "subtotal",
    "shipping_total", "shipping_discount", "tax_total", "insured", "shop_updated_at",
    "discount", "line_id",
}  # fmt: skip
REQUIRED = [name for name in (*ORDER_COLUMNS, *LINE_COLUMNS) if name not in OPTIONAL]
CUSTOMER_DETAILS = ("name", "phone", "country", "language", "timezone")
# The service's field names in the words of the file.
COLUMN_OF = {"number": "order_number", "customer": "customer_email"}
LINE_COLUMN_OF = {"external_id": "line_id"}
LINE_FIELD_OF = {column: name for name, column in LINE_COLUMN_OF.items()}
BLANK = "This field cannot be blank."
AMOUNT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
WHOLE = re.compile(r"[+-]?\d+")
TRUE, FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0", ""}
# What an unreadable cell stands in for while the rest of its order is checked.
PLACEHOLDERS = {
    "placed_at": datetime(2000, 1, 1, tzinfo=UTC),
    "total": Decimal(0),
    "quantity": 1,
    "unit_price": Decimal(0),
    "discount": Decimal(0),
    "shipping_discount": Decimal(0),
}


class CellError(ValueError):
    pass


@dataclass(frozen=True)
class Rejection:
    line: int
    order_number: str
    field: str
    message: str


@dataclass(slots=True)
class FileOrder:
    """One order as the file has it: the order columns of its first line as written, and the
    line number, data and unreadable cells of each of its lines."""

    number: str
    head: tuple[str, ...]
    lines: list[int] = field(default_factory=list)
    items: list[LineData] = field(default_factory=list)
    problems: list[Rejection] = field(default_factory=list)


# An order refused: its unreadable order cells by column, and orders_validate's errors.
Refused = tuple[FileOrder, dict[str, str], dict[str, list[str]]]


# --- cells -------------------------------------------------------------------------------------


def _text(text: str) -> str:
    return sys.intern(text)  # SKUs, titles and codes repeat: keep one copy of each


def _code(text: str) -> str:
    return sys.intern(text.upper())


def _language(text: str) -> str:
    return sys.intern(text.lower())


def _datetime(text: str) -> datetime:
    if not text:
        raise CellError(BLANK)
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CellError(
            f"“{text}” is not a date or time in ISO-8601 form, such as "
            "2026-03-01T14:30:00+01:00 or 2026-03-01."
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _optional_datetime(text: str) -> datetime | None:
    return _datetime(text) if text else None


@lru_cache(maxsize=16384)  # prices repeat; so can one Decimal object
def _amount(text: str) -> Decimal:
    if not text:
        raise CellError(BLANK)
    if not AMOUNT.fullmatch(text):
        raise CellError(
            f"“{text}” is not an amount: write it like 1234.50, with a point and without "
            "currency signs or thousands separators."
        )
    return Decimal(text)


def _optional_amount(text: str) -> Decimal | None:
    return _amount(text) if text else None


def _amount_or_zero(text: str) -> Decimal:
    return _amount(text) if text else Decimal(0)


def _quantity(text: str) -> int:
    if not text:
        raise CellError(BLANK)
    if not WHOLE.fullmatch(text):
        raise CellError(f"“{text}” is not a whole number.")
    return int(text)


def _yes_no(text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise CellError(f"“{text}” is neither true nor false.")


PARSERS = {
    "placed_at": _datetime,
    "currency": _code,
    "customer_country": _code,
    "customer_language": _language,
    "shipping_country": _code,
    "subtotal": _optional_amount,
    "shipping_total": _amount_or_zero,
    "shipping_discount": _amount_or_zero,
    "shop_updated_at": _optional_datetime,
    "discount": _amount_or_zero,
    "tax_total": _amount_or_zero,
    "total": _amount,
    "insured": _yes_no,
    "quantity": _quantity,
    "unit_price": _amount,
}


# What an empty cell of an optional column reads as: most files leave some of them out.
EMPTY = {name: PARSERS.get(name, _text)("") for name in OPTIONAL}


def _parse(names: Iterable[str], texts: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values of some cells, and why each unreadable one could not be read."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, text in zip(names, texts, strict=True):
        if not text and name in EMPTY:
            values[name] = EMPTY[name]
            continue
        try:
            values[name] = PARSERS.get(name, _text)(text)
        except CellError as exc:
            problems[name] = str(exc)
            values[name] = PLACEHOLDERS.get(name)
    return values, problems


LINE_DATA_FIELDS = tuple(LINE_FIELD_OF.get(name, name) for name in LINE_COLUMNS)


def _line_data(*texts: str, problems: dict[str, str]) -> LineData:
    values, line_problems = _parse(LINE_COLUMNS, texts)
    problems.update(line_problems)
    return LineData(**dict(zip(LINE_DATA_FIELDS, values.values(), strict=True)))


def _disagreements(order: FileOrder, head: tuple[str, ...]) -> dict[str, str]:
    """The order columns of a later line that say something else than the order's first line
    (12.5 and 12.50 agree), or that cannot be read."""
    first, _problems = _parse(ORDER_COLUMNS, order.head)
    values, problems = _parse(ORDER_COLUMNS, head)
    return {
        name: problems.get(name)
        or (
            f"Differs from line {order.lines[0]} of the same order (“{there}” there, "
            f"“{here}” here); every line of an order repeats its order columns."
        )
        for name, there, here in zip(ORDER_COLUMNS, order.head, head, strict=True)
        if name in problems or values[name] != first[name]
    }


# --- orders --------------------------------------------------------------------------------------


def _order_data(
    order: FileOrder, store: str, customers: dict[CustomerData, CustomerData]
) -> tuple[OrderData, dict[str, str]]:
    """The order as orders_upsert takes it, and the order cells that could not be read."""
    values, problems = _parse(ORDER_COLUMNS, order.head)
    customer = CustomerData(
        email=values["customer_email"],
        name=values["customer_name"],
        phone=values["customer_phone"],
        country=values["customer_country"],
        language=values["customer_language"],
    )
    row = OrderData(
        number=order.number,
        customer=customers.setdefault(customer, customer),
        placed_at=values["placed_at"],
        currency=values["currency"],
        total=values["total"],
        shipping_country=values["shipping_country"],
        lines=tuple(order.items),
        subtotal=values["subtotal"],
        shipping_total=values["shipping_total"],
        shipping_discount=values["shipping_discount"],
        tax_total=values["tax_total"],
        insured=values["insured"],
        store=store,
        shop_updated_at=values["shop_updated_at"],
    )
    return row, problems


def _with_latest_customers(
    rows: list[tuple[FileOrder, OrderData]],
) -> list[tuple[FileOrder, OrderData]]:
    """Each order with its customer's details as of their latest order in the file, so that
    a customer met in several batches is written once, and not at all on a second run."""
    details: dict[str, dict[str, str]] = {}
    emails: dict[str, str] = {}
    # sorted() is stable: of two orders placed at the same time, the later line wins.
    for _order, row in sorted(rows, key=lambda pair: pair[1].placed_at):
        key = row.customer.email.strip().lower()
        emails[key] = row.customer.email
        given = {name: getattr(row.customer, name) for name in CUSTOMER_DETAILS}
        details.setdefault(key, {}).update((name, v) for name, v in given.items() if v)
    latest = {key: CustomerData(email=emails[key], **details[key]) for key in details}
    merged = []
    for order, row in rows:
        customer = latest[row.customer.email.strip().lower()]
        merged.append((order, row if row.customer == customer else replace(row, customer=customer)))
    return merged


def _column(name: str) -> tuple[str, int | None]:
    """The file's column for a service field name, and the index of the line it is about."""
    if name.startswith("lines["):
        index, _bracket, rest = name.removeprefix("lines[").partition("].")
        return LINE_COLUMN_OF.get(rest, rest), int(index.rstrip("]"))
    if name.startswith("customer."):
        return "customer_" + name.removeprefix("customer."), None
    if name in ("non_field_errors", "lines"):
        return "", None
    return COLUMN_OF.get(name, name), None


def _rejections_of(
    order: FileOrder, unreadable: dict[str, str], errors: dict[str, list[str]]
) -> Iterator[Rejection]:
    """Every line of a refused order with the reasons that concern it: its own bad cells, the
    order's on all of its lines, and otherwise a pointer to the lines that are wrong."""
    reasons: dict[int, list[tuple[str, str]]] = {line: [] for line in order.lines}
    for problem in order.problems:
        reasons[problem.line].append((problem.field, problem.message))
    own = {(problem.line, problem.field) for problem in order.problems}
    for line in order.lines:
        reasons[line].extend(unreadable.items())
    for name, messages in errors.items():
        column, index = _column(name)
        if column in unreadable:
            continue  # about the placeholder of an unreadable cell, not about the file
        for line in order.lines if index is None else [order.lines[index]]:
            if (line, column) not in own:
                reasons[line].extend((column, message) for message in messages)
    bad = [str(line) for line, found in reasons.items() if found]
    pointer = f"line {bad[0]}" if len(bad) == 1 else f"lines {', '.join(bad)}"
    for line, found in reasons.items():
        if not found:
            found.append(("", f"Not imported: order {order.number} has errors on {pointer}."))
        for column, message in dict.fromkeys(found):
            yield Rejection(line, order.number, column, message)
