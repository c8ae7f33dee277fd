"""Counts that never read a million rows: exact up to a cap, estimated beyond."""

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, QuerySet
from django.utils import timezone

from tickets.models import (
    Case,
)

from .access import AnyUser, case_visible_to
from .cached import unless_cache_down


class Tally(int):
    """How many rows a query matches (an int): exact, or PostgreSQL's estimate where counting
    them would read more than a cap (`exact` is False)."""

    exact: bool

    def __new__(cls, count: int, *, exact: bool) -> "Tally":
        tally = super().__new__(cls, count)
        tally.exact = exact
        return tally


def row_count(queryset: QuerySet[Any], *, cap: int) -> Tally:
    """How many rows `queryset` matches, reading at most `cap` + 1 of them: exact up to `cap`;
    beyond it PostgreSQL's planner estimate (never less than `cap` + 1), other databases (the
    small embedded SQLite) count them all. On PostgreSQL a query found beyond the cap keeps its
    estimate for ESTIMATE_SECONDS, and is not counted again meanwhile: its count is an
    estimate either way. One query, two beyond the cap, none while the estimate is kept."""
    rows = queryset.order_by().values("pk")
    try:
        # Built once: the cache key, the capped count and the estimate all read this SQL.
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing, such as pk__in=[]
        return Tally(0, exact=True)
    db = connections[rows.db]
    key = _query_key("row-count-beyond", rows.db, sql, params) if db.vendor == "postgresql" else ""
    kept = unless_cache_down(lambda: cache.get(key), what="Counted") if key else None
    if kept is not None and kept[1] > cap:
        return Tally(max(kept[0], cap + 1), exact=False)
    with db.cursor() as cursor:
        # `sql` is the ORM's own, with its values as parameters.
        capped = f"SELECT COUNT(*) FROM ({sql} LIMIT %s) capped"  # noqa: S608
        cursor.execute(capped, [*params, cap + 1])
        counted = cursor.fetchone()[0]
    if counted <= cap:
        return Tally(counted, exact=True)
    if not key:
        return Tally(rows.count(), exact=True)
    estimate = _planner_estimate(db, sql, params)
    unless_cache_down(lambda: cache.set(key, (estimate, counted), ESTIMATE_SECONDS), what="Counted")
    return Tally(max(estimate, cap + 1), exact=False)


# PostgreSQL's estimate of a query's rows changes only when it analyses the table again; the
# same query's estimate is kept this long instead of being planned again on every page.
ESTIMATE_SECONDS = 300


def _query_key(prefix: str, alias: str, sql: str, params: Sequence[Any]) -> str:
    # Times (the SLA filters' "now") are keyed to the minute: an answer a second later is the
    # same, and a key per request would never be read again.
    keyed = [p.replace(second=0, microsecond=0) if isinstance(p, datetime) else p for p in params]
    return f"{prefix}:" + hashlib.sha256(repr((alias, sql, keyed)).encode()).hexdigest()


def rows_kept(queryset: QuerySet[Any], *, seconds: int) -> tuple[list[tuple[Any, ...]], datetime]:
    """The rows of `queryset` (a values_list) and when they were read: read at most once in
    `seconds` for everyone who asks the same query (its SQL and parameters are the key, so
    users who see different cases never share rows). One query, none while the rows are kept."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return [], timezone.now()
    key = _query_key("rows-kept", queryset.db, sql, params)
    kept: tuple[list[tuple[Any, ...]], datetime] | None = unless_cache_down(
        lambda: cache.get(key), what="Counted"
    )
    if kept is not None:
        return kept
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        read = ([tuple(row) for row in cursor.fetchall()], timezone.now())
    unless_cache_down(lambda: cache.set(key, read, seconds), what="Counted")
    return read


def _planner_estimate(db: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> int:
    """How many rows PostgreSQL's planner expects the query `sql` to match (one query)."""
    with db.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def case_counts_by_status(*, user: AnyUser) -> dict[str, Tally]:
    """How many cases `user` sees in each status, every status present. The active ones are
    counted exactly from the partial index of active cases (one query); resolved and closed
    cases, which pile up forever, are counted up to HOME_COUNT_CAP and estimated beyond."""
    cases = Case.objects.filter(case_visible_to(user))
    active = dict(
        cases.filter(active=True).values_list("status").annotate(n=Count("pk")).order_by()
    )
    return {
        status: (
            Tally(active.get(status, 0), exact=True)
            if status in Case.ACTIVE_STATUSES
            else row_count(cases.filter(status=status), cap=settings.HOME_COUNT_CAP)
        )
        for status in Case.Status.values
    }
