"""`EXPLAIN (ANALYZE, BUFFERS)` of every query the hot pages run, against the configured
database (DATABASE_URL; PostgreSQL, best with the 1M-case load data):

    DATABASE_URL=postgres://… .venv/bin/python -m tests.benchmarks.explain_hot_queries

Each page of TARGETS is requested through Django's test client as a superuser (made, and
rolled back with everything else the run writes, inside one transaction); the SQL it really
ran is captured and explained. Writes var/benchmarks/explain.md and names every plan whose
sequential scan reads more than BIG_TABLE_ROWS rows of a big table (a scan that a LIMIT stops
after a thousand rows, as a capped count does, is not one); exits 1 if there is one.
`explain_hot_queries()` is the entry point for a harness (`make bench`)."""

import os
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

# A table with more rows than this is big: a sequential scan over it grows with the data.
BIG_TABLE_ROWS = 10_000
REPEATS = 5
OUT = Path("var/benchmarks/explain.md")


@dataclass
class Query:
    sql: str
    plan: str
    planning_ms: float
    execution_ms: float
    seq_scans: list[str]


@dataclass
class Target:
    name: str
    url: str
    status: int = 0
    median_ms: float = 0.0
    queries: list[Query] = field(default_factory=list)

    @property
    def seq_scans(self) -> list[str]:
        return [table for query in self.queries for table in query.seq_scans]


class _Rollback(Exception):
    pass


def _targets() -> list[tuple[str, str]]:
    """(name, URL) of every page the issue's targets name, with ids from the data."""
    from tickets.models import Case, Customer, Order, Tag

    case = Case.objects.order_by("-created_at", "-pk").first()
    customer = Customer.objects.order_by("-pk").first()
    order = Order.objects.order_by("-placed_at", "-pk").first()
    assigned = Case.objects.filter(assignee__isnull=False).values_list("assignee", flat=True)
    assignee = assigned.first() or 1
    cases = "/api/v1/cases/"
    targets = [
        # the reference: one row by primary key through the API, as little as a page can do
        ("floor: a customer by id", f"/api/v1/customers/{customer.pk if customer else 1}/"),
        ("cases", cases),
        *(
            (f"cases {query}", f"{cases}?{query}")
            for query in (
                "kind=wrong_item",
                "status=open",
                "status=closed",
                "priority=urgent",
                f"assignee={assignee}",
                "unassigned=true",
                f"customer={customer.pk if customer else 1}",
                f"order={order.pk if order else 1}",
                "updated_since=2000-01-01T00:00:00Z",
                "ordering=-priority",
                "ordering=priority",
                "ordering=created_at",
                "ordering=-updated_at",
                "status=open&ordering=-priority",
                "page=100",
            )
        ),
        ("orders", "/api/v1/orders/"),
        *(
            (f"orders {query}", f"/api/v1/orders/?{query}")
            for query in (
                f"number={order.number if order else '1'}",
                f"customer={customer.pk if customer else 1}",
                "ordering=number",
                "ordering=-total",
                "ordering=created_at",
                "placed_after=2000-01-01T00:00:00Z",
            )
        ),
        ("customers", "/api/v1/customers/"),
        *(
            (f"customers {query}", f"/api/v1/customers/?{query}")
            for query in (
                urlencode({"search": "mia"}),
                urlencode({"email": (customer.email if customer else "x@example.com").upper()}),
                "country=DE",
                "ordering=-created_at",
                "ordering=name",
            )
        ),
        ("home", "/agent/"),
    ]
    tag = Tag.objects.order_by("pk").values_list("name", flat=True).first()
    dashboard = "/agent/cases/"
    targets += [
        ("dashboard list", dashboard),
        *(
            (f"dashboard list {query}", f"{dashboard}?{query}")
            for query in (
                "status=open",
                "assignee=none",
                "sla=breached",
                urlencode({"tag": tag or "none"}),
                "sort=-priority",
                urlencode({"q": order.number if order else "none"}),
                urlencode({"q": customer.email if customer else "none"}),
                urlencode({"q": (customer.name.split() or ["none"])[0] if customer else "none"}),
            )
        ),
    ]
    if case is not None:
        number = case.number
        targets += [
            ("case detail", f"{cases}{number}/"),
            ("case events", f"{cases}{number}/events/"),
            ("case messages", f"{cases}{number}/messages/"),
            ("dashboard search by case number", f"{dashboard}?{urlencode({'q': number})}"),
            ("dashboard workspace", f"{dashboard}{number}/"),
        ]
    return targets


def _table_rows(connection) -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


def _explain(connection, sql: str, rows: dict[str, float]) -> Query:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    planned = re.search(r"Planning Time: ([\d.]+) ms", plan)
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    big = sorted(
        {
            table
            for table, read in _seq_scans(plan)
            if rows.get(table, 0) > BIG_TABLE_ROWS and read > BIG_TABLE_ROWS
        }
    )
    return Query(
        sql,
        plan,
        float(planned.group(1)) if planned else 0.0,
        float(found.group(1)) if found else 0.0,
        big,
    )


def _seq_scans(plan: str) -> list[tuple[str, int]]:
    """(table, rows read) of each sequential scan in a text plan: the rows it returned and
    those its filter removed, over all loops. A scan under a LIMIT that stops after a few
    rows (a capped count) reads few; one over the whole table reads them all."""
    scans = []
    lines = plan.splitlines()
    for index, line in enumerate(lines):
        node = re.search(r"Seq Scan on (\w+).*actual time=\S+ rows=(\d+) loops=(\d+)", line)
        if not node:
            continue
        removed = 0
        for detail in lines[index + 1 :]:
            if "->" in detail:
                break
            match = re.search(r"Rows Removed by Filter: (\d+)", detail)
            removed += int(match.group(1)) if match else 0
        loops = int(node.group(3))
        scans.append((node.group(1), (int(node.group(2)) + removed) * loops))
    return scans


def _measure(client, targets, connection, rows) -> list[Target]:
    from django.test.utils import CaptureQueriesContext

    measured = []
    for name, url in targets:
        target = Target(name, url)
        client.get(url)  # warm-up: caches, lazy imports, the first plan
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        target.status = response.status_code
        target.median_ms = statistics.median(times)
        for query in captured.captured_queries:
            sql = query["sql"]
            if sql.lstrip().upper().startswith(("SELECT", "WITH")):
                target.queries.append(_explain(connection, sql, rows))
        measured.append(target)
        scans = f"  SEQ SCAN {', '.join(target.seq_scans)}" if target.seq_scans else ""
        print(  # noqa: T201 (progress of an operator's command)
            f"{name:40} {target.status} {len(target.queries):2} queries "
            f"{target.median_ms:8.1f} ms{scans}",
            flush=True,
        )
    return measured


def _report(measured: list[Target], connection) -> str:
    from tickets.models import Case

    lines = [
        "# EXPLAIN (ANALYZE, BUFFERS) of the hot queries",
        "",
        f"Database `{connection.settings_dict['NAME']}` ({connection.vendor}), "
        f"{Case.objects.count():,} cases; each page requested once to warm up, then {REPEATS} "
        "times through Django's test client (median, in-process, no network), then once more "
        "with its SQL captured. The floor is one customer read by id through the API.",
        "",
        "| page | status | queries | median ms | ÷ floor | sum of planning ms | "
        "sum of execution ms | seq scan of a big table |",
        "|---|---|---|---|---|---|---|---|",
    ]
    floor = measured[0].median_ms if measured else 1.0
    for target in measured:
        planning = sum(query.planning_ms for query in target.queries)
        total = sum(query.execution_ms for query in target.queries)
        lines.append(
            f"| {target.name} | {target.status} | {len(target.queries)} | "
            f"{target.median_ms:.1f} | {target.median_ms / floor:.1f} | {planning:.2f} | "
            f"{total:.2f} | "
            f"{', '.join(target.seq_scans) or '—'} |"
        )
    for target in measured:
        lines += ["", f"## {target.name}", "", f"`GET {target.url}`"]
        for query in target.queries:
            lines += ["", "```sql", query.sql, "```", "", "```", query.plan, "```"]
    return "\n".join(lines) + "\n"


def explain_hot_queries(out: Path = OUT) -> list[Target]:
    """Request every target page, explain its queries and write the report to `out`;
    returns the measured pages (a page's `seq_scans` names the big tables scanned)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client

    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN (ANALYZE, BUFFERS) needs PostgreSQL: set DATABASE_URL.")
    rows = _table_rows(connection)
    measured: list[Target] = []
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_superuser(
                username="explain-hot-queries", email="", password=None
            )
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user)
            measured = _measure(client, _targets(), connection, rows)
            report = _report(measured, connection)
            raise _Rollback
    except _Rollback:
        pass
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report)
    return measured


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings.local")
    import django

    django.setup()
    measured = explain_hot_queries()
    scans = [f"{target.name}: {', '.join(target.seq_scans)}" for target in measured]
    scans = [line for line, target in zip(scans, measured, strict=True) if target.seq_scans]
    print(f"Wrote {OUT}.")  # noqa: T201
    for line in scans:
        print(f"Sequential scan of a big table: {line}")  # noqa: T201
    return 1 if scans else 0


if __name__ == "__main__":
    sys.exit(main())
