"""`manage.py import_orders FILE.csv`: a shop's order export, created or updated in bulk.

The file is UTF-8 (a byte-order mark is fine), comma-separated, with a header row, and has
one row per order line: the order's columns repeat on each of its lines, whose rows need not
be next to each other. Columns (any order, names case-insensitive, others ignored):

    order_number*, placed_at*, currency*, customer_email*, customer_name, customer_phone,
    customer_country, customer_language, shipping_country*, subtotal, shipping_total,
    tax_total, total*, insured, sku*, title*, quantity*, unit_price*      (* required)

An order is imported whole or not at all: a bad cell on any of its lines rejects the order,
and every line of it appears in the report with the reason. Valid orders go through
orders_upsert in batches, one transaction each, so the same file imported twice changes
nothing the second time. A customer's details come from their most recent order in the file
(per detail, the latest one given), so that every batch tells the same story about them."""

import csv
import re
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.core.validators import validate_slug
from django.db import DatabaseError
from tqdm import tqdm

from tickets.services.orders import (
    CustomerData,
    LineData,
    OrderData,
    OrdersInvalid,
    orders_upsert,
    orders_validate,
)

ORDER_COLUMNS = (
    "order_number", "placed_at", "currency", "customer_email", "customer_name",
    "customer_phone", "customer_country", "customer_language", "shipping_country", "subtotal",
    "shipping_total", "tax_total", "total", "insured",
)  # fmt: skip
LINE_COLUMNS = ("sku", "title", "quantity", "unit_price")
OPTIONAL = {
    "customer_name", "customer_phone", "customer_country", "customer_language", "subtotal",
    "shipping_total", "tax_total", "insured",
}  # fmt: skip
REQUIRED = [name for name in (*ORDER_COLUMNS, *LINE_COLUMNS) if name not in OPTIONAL]
CUSTOMER_DETAILS = ("name", "phone", "country", "language", "timezone")
# The service's field names in the words of the file.
COLUMN_OF = {"number": "order_number", "customer": "customer_email"}
PREVIEW = 20
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


@dataclass
class Totals:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Sets: a dry run writes nothing, so a customer new in one batch is new again in the next.
    customers_created: set[str] = field(default_factory=set)
    customers_updated: set[str] = field(default_factory=set)
    refused: list[Refused] = field(default_factory=list)


class Command(BaseCommand):
    help = (
        "Import a shop's order export (CSV, one row per order line); see the README's "
        "“CSV import” for the columns."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV file (UTF-8, header row)")
        parser.add_argument("--store", default="default", help="the store the orders belong to")
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count, but write nothing"
        )
        # 1,000 orders (some 2,500 lines) per transaction: a few dozen statements each, so
        # per-statement cost is spread thin, while each commit comes within a second or so and
        # never holds SQLite's write lock (or PostgreSQL's row locks) for long.
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="orders per transaction (1000)"
        )
        parser.add_argument("--report", type=Path, help="write every rejected row to this CSV")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        store, batch_size, dry_run = options["store"], options["batch_size"], options["dry_run"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            validate_slug(store)
        except ValidationError as exc:
            raise CommandError(f"--store {store!r}: {exc.messages[0]}") from exc
        report: Path | None = options["report"]
        if report and not report.absolute().parent.is_dir():
            raise CommandError(f"--report {report}: the folder {report.parent} does not exist.")
        self.quiet = options["verbosity"] == 0

        orders, rejections, row_count = self._read(options["file"])
        valid, refused = self._check(orders, store, batch_size)
        totals = self._write(_with_latest_customers(valid), batch_size, dry_run)
        refused.extend(totals.refused)
        rejections.extend(rejection for order in refused for rejection in _rejections_of(*order))
        rejections.sort(key=lambda r: (r.line, r.field))
        if report:
            _write_report(report, rejections)
        if self.quiet:
            return
        self._print_rejections(rejections, report)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            _summary(totals, len(refused), rejections, row_count, elapsed, dry_run=dry_run)
        )

    # --- reading ---------------------------------------------------------------------------

    def _read(self, path: Path) -> tuple[list[FileOrder], list[Rejection], int]:
        """The orders of the file, grouped by number, with their lines' unreadable cells;
        rows without an order number are rejected on the spot. Reads it all before any write."""
        try:
            with path.open(encoding="utf-8-sig", newline="") as file:
                return self._parse(csv.reader(file), path)
        except FileNotFoundError as exc:
            raise CommandError(f"{path}: no such file.") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"{path} is a folder, not a CSV file.") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{path} is not UTF-8 text (byte {exc.start}): export it as UTF-8 and try again."
            ) from exc
        except csv.Error as exc:
            raise CommandError(f"{path} is not a readable CSV file: {exc}.") from exc

    def _parse(self, reader: Any, path: Path) -> tuple[list[FileOrder], list[Rejection], int]:
        header = next(reader, None)
        if not header:
            raise CommandError(f"{path} is empty: it needs a header row naming its columns.")
        names = [name.strip().lower() for name in header]
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            hint = " It looks separated by semicolons: export it with commas." * (
                len(names) == 1 and ";" in names[0]
            )
            raise CommandError(
                f"{path} lacks the required column(s) {', '.join(missing)}. Its header has: "
                f"{', '.join(name for name in names if name) or 'nothing'}.{hint}"
            )
        repeated = sorted({name for name in names if name and names.count(name) > 1})
        if repeated:
            raise CommandError(f"{path} has the column(s) {', '.join(repeated)} more than once.")
        known = (*ORDER_COLUMNS, *LINE_COLUMNS)
        ignored = [name for name in names if name and name not in known]
        if ignored and not self.quiet:
            self.stderr.write(self.style.WARNING(f"Ignoring column(s): {', '.join(ignored)}."))
        positions = [names.index(name) if name in names else None for name in known]
        head_size, width = len(ORDER_COLUMNS), len(names)

        orders: dict[str, FileOrder] = {}
        rejections: list[Rejection] = []
        row_count = 0
        for cells in self._progress(reader, "Reading"):
            if not any(cell.strip() for cell in cells):
                continue  # a blank line is no row
            row_count += 1
            line = reader.line_num
            values = [
                cells[i].strip() if i is not None and i < len(cells) else "" for i in positions
            ]
            head, number = tuple(values[:head_size]), values[0]
            if not number:
                rejections.append(Rejection(line, "", "order_number", BLANK))
                continue
            problems: dict[str, str] = {}
            item = _line_data(*values[head_size:], problems=problems)
            if len(cells) > width:
                problems[""] = (
                    f"This line has {len(cells)} cells but the header has {width}; put cells "
                    "that contain a comma in double quotes."
                )
            order = orders.get(number)
            if order is None:
                order = orders[number] = FileOrder(number, head)
            elif head != order.head:
                problems = {**_disagreements(order, head), **problems}
            order.lines.append(line)
            order.items.append(item)
            order.problems.extend(Rejection(line, number, c, m) for c, m in problems.items())
        return list(orders.values()), rejections, row_count

    # --- checking and writing ----------------------------------------------------------------

    def _check(
        self, orders: list[FileOrder], store: str, batch_size: int
    ) -> tuple[list[tuple[FileOrder, OrderData]], list[Refused]]:
        """Orders without an unreadable cell that orders_validate accepts, and the others."""
        valid, refused = [], []
        customers: dict[CustomerData, CustomerData] = {}  # one object for each spelling
        progress = self._progress_bar(sum(len(order.lines) for order in orders), "Checking")
        for batch in _batches(orders, batch_size):
            parsed = [_order_data(order, store, customers) for order in batch]
            errors = orders_validate([row for row, _problems in parsed])
            for index, (order, (row, problems)) in enumerate(zip(batch, parsed, strict=True)):
                if order.problems or problems or index in errors:
                    refused.append((order, problems, errors.get(index, {})))
                else:
                    order.head = ()  # read and checked: its row holds what matters now
                    valid.append((order, row))
            progress.update(sum(len(order.lines) for order in batch))
        progress.close()
        return valid, refused

    def _write(
        self, rows: list[tuple[FileOrder, OrderData]], batch_size: int, dry_run: bool
    ) -> Totals:
        totals = Totals()
        progress = self._progress_bar(
            sum(len(order.lines) for order, _row in rows), "Dry run" if dry_run else "Importing"
        )
        for batch in _batches(rows, batch_size):
            while batch:
                try:
                    result = orders_upsert(rows=[row for _order, row in batch], dry_run=dry_run)
                except OrdersInvalid as exc:  # cannot happen after _check, but never lose a row
                    totals.refused.extend((batch[i][0], {}, e) for i, e in exc.errors.items())
                    batch = [pair for i, pair in enumerate(batch) if i not in exc.errors]
                    continue
                except DatabaseError as exc:
                    progress.close()
                    raise CommandError(
                        f"The database refused the batch from line {batch[0][0].lines[0]} on "
                        f"({exc}). The {totals.created + totals.updated + totals.unchanged:,} "
                        "orders before it are stored; running the import again resumes it."
                    ) from exc
                totals.created += result.created
                totals.updated += result.updated
                totals.unchanged += result.unchanged
                totals.customers_created.update(c.email.lower() for c in result.created_customers)
                totals.customers_updated.update(c.email.lower() for c in result.updated_customers)
                progress.update(sum(len(order.lines) for order, _row in batch))
                batch = []
        progress.close()
        return totals

    # --- output ------------------------------------------------------------------------------

    def _progress(self, items: Iterable, desc: str) -> tqdm:
        stream = _ProgressStream(self.stderr)
        return tqdm(items, desc=desc, unit="row", file=stream, disable=self.quiet)

    def _progress_bar(self, total: int, desc: str) -> tqdm:
        stream = _ProgressStream(self.stderr)
        return tqdm(total=total, desc=desc, unit="row", file=stream, disable=self.quiet)

    def _print_rejections(self, rejections: list[Rejection], report: Path | None) -> None:
        if not rejections:
            return
        shown = rejections[:PREVIEW]
        cut = len(shown) < len(rejections)
        self.stdout.write(
            f"Rejected rows ({len(shown)} of {len(rejections)} shown):" if cut else "Rejected rows:"
        )
        for r in shown:
            where = f"line {r.line}" + (f", order {r.order_number}" if r.order_number else "")
            self.stdout.write(f"  {where}: {r.field + ': ' if r.field else ''}{r.message}")
        if cut and report:
            self.stdout.write(f"  … all {len(rejections)} are in {report}.")
        elif cut:
            self.stdout.write("  … --report FILE.csv writes them all.")


class _ProgressStream:
    """The command's stderr as tqdm needs it: raw writes, without the newline (and error
    colour) OutputWrapper adds to each one."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self._wrapper = wrapper

    def write(self, text: str) -> None:
        self._wrapper.write(text, style_func=str, ending="")

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding: the real stream's
        return getattr(self._wrapper, name)


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
    "tax_total": _amount_or_zero,
    "total": _amount,
    "insured": _yes_no,
    "quantity": _quantity,
    "unit_price": _amount,
}


def _parse(names: Iterable[str], texts: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Typed values of some cells, and why each unreadable one could not be read."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name, text in zip(names, texts, strict=True):
        try:
            values[name] = PARSERS.get(name, _text)(text)
        except CellError as exc:
            problems[name] = str(exc)
            values[name] = PLACEHOLDERS.get(name)
    return values, problems


def _line_data(*texts: str, problems: dict[str, str]) -> LineData:
    values, line_problems = _parse(LINE_COLUMNS, texts)
    problems.update(line_problems)
    return LineData(**values)


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
        tax_total=values["tax_total"],
        insured=values["insured"],
        store=store,
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


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _column(name: str) -> tuple[str, int | None]:
    """The file's column for a service field name, and the index of the line it is about."""
    if name.startswith("lines["):
        index, _bracket, rest = name.removeprefix("lines[").partition("].")
        return rest, int(index.rstrip("]"))
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


def _write_report(path: Path, rejections: list[Rejection]) -> None:
    try:
        with path.open("w", encoding="utf-8", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["line", "order_number", "field", "message"])
            writer.writerows((r.line, r.order_number, r.field, r.message) for r in rejections)
    except OSError as exc:
        raise CommandError(f"Cannot write the report to {path}: {exc.strerror}.") from exc


def _summary(
    totals: Totals,
    refused: int,
    rejections: list[Rejection],
    row_count: int,
    elapsed: float,
    *,
    dry_run: bool,
) -> str:
    rejected = refused + sum(1 for r in rejections if not r.order_number)
    rows = len({r.line for r in rejections})
    customers = f"{len(totals.customers_created):,} new, {len(totals.customers_updated):,} updated"
    speed = f"{row_count:,} rows in {elapsed:.1f} s ({row_count / max(elapsed, 1e-9):,.0f} rows/s)"
    if dry_run:
        return (
            f"Dry run, nothing written. Would create {totals.created:,}, update "
            f"{totals.updated:,}, leave {totals.unchanged:,} unchanged and reject "
            f"{rejected:,} orders ({rows:,} rows); customers: {customers}. {speed}."
        )
    return (
        f"Created {totals.created:,}, updated {totals.updated:,}, unchanged "
        f"{totals.unchanged:,}, rejected {rejected:,} orders ({rows:,} rows); "
        f"customers: {customers}. {speed}."
    )
