"""Benchmark of `manage.py import_orders` on a 100,000-row export; run it with `make bench`.

The command runs as its own process against the test database pytest-django made from the
settings (SQLite by default, PostgreSQL with DATABASE_URL), so that its wall time includes
what a user waits for and its peak memory (VmHWM, so Linux only) is the import's alone. The
figures are printed and kept in var/benchmarks/import_orders.txt, one block per database."""

import csv
import os
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import quote

import django
import pytest
from django.conf import settings
from django.db import connection

from tests.benchmarks.figures import keep_figures
from tests.clock import wall_clock_now
from tickets.models import Customer, Order, OrderLine

ROWS = 100_000
CUSTOMERS = 5_000
BAD_EVERY = 400  # one order in 400 has a bad cell: the report is part of the work
SEED = 2026
HEADER = [
    "order_number", "placed_at", "currency", "customer_email", "customer_name",
    "customer_phone", "customer_country", "customer_language", "shipping_country", "subtotal",
    "shipping_total", "tax_total", "total", "insured", "sku", "title", "quantity", "unit_price",
]  # fmt: skip
# country: (currency, language, EUR rate, phone pattern: # any digit, N 2-9)
COUNTRIES = {
    "DE": ("EUR", "de", Decimal(1), "+49151########"),
    "FR": ("EUR", "fr", Decimal(1), "+3361#######"),
    "ES": ("EUR", "es", Decimal(1), "+346########"),
    "US": ("USD", "en", Decimal("1.08"), "+1212N######"),
    "GB": ("GBP", "en", Decimal("0.85"), "+44738#######"),
    "JP": ("JPY", "en", Decimal(162), "+8190N#######"),
    "CN": ("CNY", "zh-hans", Decimal("7.8"), "+86138########"),
}
BAD_CELLS = [
    ("customer_email", "customer-at-example.com"),
    ("quantity", "0"),
    ("unit_price", "12,50"),
    ("placed_at", "31/12/2025"),
]
SUMMARY = re.compile(
    r"Created ([\d,]+), updated ([\d,]+), unchanged ([\d,]+), stale 0, rejected ([\d,]+) orders "
    r"\(([\d,]+) rows\); customers: ([\d,]+) new, ([\d,]+) updated\. "
    r"[\d,]+ rows in ([\d.]+) s \(([\d,]+) rows/s\)"
)

# Runs manage.py and, at exit, notes its peak resident memory. Not ru_maxrss: a child keeps
# the high-water mark of the process it was forked from, pytest's, across exec.
KEEP_PEAK = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def keep_peak():
    with open("/proc/self/status") as status, open(out, "w") as file:
        file.write(next(line for line in status if line.startswith("VmHWM")))
atexit.register(keep_peak)
sys.argv = sys.argv[1:]
runpy.run_path("manage.py", run_name="__main__")
"""

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass(frozen=True)
class Export:
    path: Path
    orders: int
    bad_orders: int
    customers: int


@dataclass(frozen=True)
class Run:
    created: int
    updated: int
    unchanged: int
    rejected: int
    customers_new: int
    customers_updated: int
    command_seconds: float
    rows_per_second: int
    wall_seconds: float
    cpu_seconds: float
    peak_mb: float


def write_export(path: Path) -> Export:
    """A deterministic shop export of exactly ROWS lines: ~40,000 orders of 1-4 lines in five
    currencies by ~5,000 customers, lines of neighbouring orders shuffled among each other."""
    rng = random.Random(SEED)
    customers = [_customer(rng, n) for n in range(CUSTOMERS)]
    products = [
        (f"SKU-{n:04d}", f"Product {n}", Decimal(rng.randrange(199, 19999)) / 100)
        for n in range(500)
    ]
    rows, orders, bad, used = [], 0, 0, set()
    start = datetime(2025, 1, 1, tzinfo=UTC)
    while len(rows) < ROWS:
        orders += 1
        customer = rng.choice(customers)
        used.add(customer["email"])
        order_rows = _order_rows(rng, orders, customer, products, start)[: ROWS - len(rows)]
        if orders % BAD_EVERY == 0:
            bad += 1
            column, value = BAD_CELLS[bad % len(BAD_CELLS)]
            order_rows[-1][HEADER.index(column)] = value
        rows.extend(order_rows)
    for window in range(0, len(rows), 8):  # lines of one order need not be adjacent
        chunk = rows[window : window + 8]
        rng.shuffle(chunk)
        rows[window : window + 8] = chunk
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return Export(path, orders, bad, len(used))


def _customer(rng: random.Random, n: int) -> dict[str, str]:
    country = rng.choice(list(COUNTRIES))
    _currency, language, _rate, pattern = COUNTRIES[country]
    digits = {"#": "0123456789", "N": "23456789"}
    phone = "".join(rng.choice(digits[c]) if c in digits else c for c in pattern)
    return {
        "email": f"customer{n:05d}@example.com",
        "name": f"Customer {n}",
        "phone": phone if rng.random() < 0.7 else "",
        "country": country,
        "language": language,
    }


def _order_rows(rng, number, customer, products, start) -> list[list[str]]:
    currency, _language, rate, _pattern = COUNTRIES[customer["country"]]
    quantum = Decimal(1) if currency == "JPY" else Decimal("0.01")
    lines = [
        (sku, title, rng.choices((1, 2, 3), weights=(80, 15, 5))[0], price)
        for sku, title, price in rng.sample(products, rng.randint(1, 4))
    ]
    lines = [(s, t, q, (p * rate).quantize(quantum, ROUND_HALF_UP)) for s, t, q, p in lines]
    subtotal = sum(q * p for _s, _t, q, p in lines)
    shipping = Decimal(0) if subtotal > 50 * rate else (Decimal("4.90") * rate).quantize(quantum)
    tax = (subtotal * Decimal("0.19")).quantize(quantum, ROUND_HALF_UP)
    placed = start + timedelta(minutes=7 * number)
    placed_at = rng.choice(
        [placed.isoformat(), placed.astimezone().isoformat(), placed.date().isoformat()]
    )
    # Some exports spell a customer's email in capitals: matched all the same.
    email = customer["email"].upper() if number % 20 == 0 else customer["email"]
    head = [
        f"B-{number:06d}", placed_at, currency, email, customer["name"], customer["phone"],
        customer["country"], customer["language"], customer["country"],
        str(subtotal) if number % 2 else "", str(shipping), str(tax),
        str(subtotal + shipping + tax), "true" if number % 3 == 0 else "false",
    ]  # fmt: skip
    return [[*head, sku, title, str(q), str(p)] for sku, title, q, p in lines]


def database_url() -> str:
    """The URL of the test database pytest-django made, for the command's own process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def run_import(export: Export, report: Path) -> Run:
    """`manage.py import_orders` in a child process: its summary, times and peak RSS."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.test",
    }
    # The import is measured, not the system checks (pytest does not run them either).
    peak = report.with_suffix(".peak")
    command = [sys.executable, "-c", KEEP_PEAK, str(peak), "manage.py", "import_orders"]
    command += [str(export.path), "--report", str(report), "--skip-checks"]
    output = report.with_suffix(".out")
    started = time.perf_counter()
    with output.open("w") as stdout:
        child = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=stdout)  # noqa: S603
        _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    text = output.read_text()
    print(text, end="")
    assert child.returncode == 0, text
    figures = SUMMARY.search(text)
    assert figures, text
    created, updated, unchanged, rejected, _rows, new, changed, seconds, speed = (
        float(value.replace(",", "")) for value in figures.groups()
    )
    return Run(
        created=int(created),
        updated=int(updated),
        unchanged=int(unchanged),
        rejected=int(rejected),
        customers_new=int(new),
        customers_updated=int(changed),
        command_seconds=seconds,
        rows_per_second=int(speed),
        wall_seconds=wall,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_mb=int(peak.read_text().split()[1]) / 1024,  # "VmHWM:   165432 kB"
    )


def test_import_of_100000_rows(tmp_path_factory):
    # given a 100,000-row export
    load = os.getloadavg()[0]
    folder = tmp_path_factory.mktemp("import_orders")
    export = write_export(folder / "orders.csv")
    valid = export.orders - export.bad_orders

    # when it is imported, then every valid order is created and the bad ones rejected
    first = run_import(export, folder / "rejected-1.csv")
    assert (first.created, first.updated, first.unchanged) == (valid, 0, 0)
    assert first.rejected == export.bad_orders
    assert Order.objects.count() == valid
    assert Customer.objects.count() == first.customers_new
    assert first.customers_updated == 0

    # when it is imported again, then nothing changes
    again = run_import(export, folder / "rejected-2.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, valid)
    assert (again.customers_new, again.customers_updated) == (0, 0)
    assert again.rejected == export.bad_orders

    # and for scale: the same command's process on a file with a header only
    empty = Export(folder / "empty.csv", 0, 0, 0)
    empty.path.write_text(",".join(HEADER) + "\n")
    baseline = run_import(empty, folder / "rejected-0.csv")

    lines = OrderLine.objects.count()
    text = figures_text(export, valid, lines, first, again, baseline, load)
    print("\n" + text)
    keep_figures(
        "import_orders",
        text,
        f"{first.rows_per_second:,} rows/s importing a {ROWS:,}-row CSV "
        f"({first.command_seconds:.1f} s; "
        f"re-run unchanged {again.rows_per_second:,} rows/s; peak RSS {first.peak_mb:.0f} MB; "
        f"load average {load:.1f} before)",
    )


def figures_text(
    export: Export, valid: int, lines: int, first: Run, again: Run, baseline: Run, load: float
) -> str:
    db = connection.settings_dict
    size = export.path.stat().st_size / 1_000_000
    head = [
        f"## {connection.vendor}",
        f"database {db['NAME']}, measured {wall_clock_now():%Y-%m-%d %H:%M} UTC",
        f"Python {sys.version.split()[0]}, Django {django.get_version()}, {os.cpu_count()} CPUs, "
        f"load average {load:.1f} before the runs (other processes share the CPUs)",
        f"file: {ROWS:,} rows, {export.orders:,} orders ({export.bad_orders} with a bad cell), "
        f"{export.customers:,} customers, {size:.1f} MB",
        f"stored: {valid:,} orders, {lines:,} lines, {first.customers_new:,} customers",
    ]
    runs = [
        f"{name}: {run.created:,} created, {run.updated:,} updated, {run.unchanged:,} unchanged, "
        f"{run.rejected} rejected; {run.command_seconds:.1f} s in the command = "
        f"{run.rows_per_second:,} rows/s; {run.wall_seconds:.1f} s wall with start-up, "
        f"{run.cpu_seconds:.1f} s CPU of the importing process; peak RSS {run.peak_mb:.0f} MB"
        for name, run in (("first run", first), ("re-run   ", again))
    ]
    base = f"the same process on a header-only file: peak RSS {baseline.peak_mb:.0f} MB"
    return "\n".join([*head, *runs, base]) + "\n"
