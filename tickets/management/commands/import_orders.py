"""`manage.py import_orders FILE.csv`: a shop's order export, created or updated in bulk.

The file is UTF-8 (a byte-order mark is fine), comma-separated, with a header row, and has
one row per order line: the order's columns repeat on each of its lines, whose rows need not
be next to each other. Columns (any order, names case-insensitive, others ignored):

    order_number*, placed_at*, currency*, customer_email*, customer_name, customer_phone,
    customer_country, customer_language, shipping_country*, subtotal, shipping_total,
    shipping_discount, tax_total, total*, insured, shop_updated_at, sku*, title*, quantity*,
    unit_price*, discount, line_id                                     (* required)

An order is imported whole or not at all: a bad cell on any of its lines rejects the order,
and every line of it appears in the report with the reason. Valid orders go through
orders_upsert in batches, one transaction each, so the same file imported twice changes
nothing the second time; an order whose shop_updated_at is older than the stored order's is
left as stored and counted as stale, and one that would move an order with cases to another
customer is rejected. A customer's details come from their most recent order in the file
(per detail, the latest one given), so that every batch tells the same story about them."""

import csv
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.core.validators import validate_slug
from django.db import DatabaseError
from tqdm import tqdm

from tickets.services.orders import (
    CustomerData,
    OrderData,
    OrdersInvalid,
    orders_upsert,
    orders_validate,
)

from ._order_csv import (
    BLANK,
    LINE_COLUMNS,
    ORDER_COLUMNS,
    REQUIRED,
    FileOrder,
    Refused,
    Rejection,
    _disagreements,
    _line_data,
    _order_data,
    _rejections_of,
    _with_latest_customers,
)

PREVIEW = 20


@dataclass
class Totals:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
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
                # After _check, only orders with cases that would change customer (or a race).
                except OrdersInvalid as exc:
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
                totals.stale += result.stale
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


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
            f"{totals.updated:,}, leave {totals.unchanged:,} unchanged and "
            f"{totals.stale:,} stale and reject {rejected:,} orders ({rows:,} rows); "
            f"customers: {customers}. {speed}."
        )
    return (
        f"Created {totals.created:,}, updated {totals.updated:,}, unchanged "
        f"{totals.unchanged:,}, stale {totals.stale:,}, rejected {rejected:,} orders "
        f"({rows:,} rows); customers: {customers}. {speed}."
    )
