"""row_count: exact up to its cap; beyond it PostgreSQL's planner estimate, asked once per query
and kept a while (ESTIMATE_SECONDS), since it changes only when the table is analysed again;
meanwhile the same query is not counted again."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CaseFactory
from tickets.models import Case
from tickets.selectors.counts import row_count

pytestmark = pytest.mark.django_db


def counted(queryset, cap):
    with CaptureQueriesContext(connection) as captured:
        tally = row_count(queryset, cap=cap)
    return tally, len(captured)


def test_beyond_the_cap_the_estimate_is_asked_once_per_query():
    # given three open cases and one closed, counted with a cap of one
    for status in ("open", "open", "open", "closed"):
        CaseFactory(status=status)
    open_cases = Case.objects.filter(status="open")
    first, first_queries = counted(open_cases, cap=1)
    again, again_queries = counted(open_cases, cap=1)
    every, every_queries = counted(Case.objects.all(), cap=1)
    if connection.vendor == "postgresql":
        # then the first count reads the capped rows and asks the planner...
        assert not first.exact and first >= 2 and first_queries == 2
        # ...the same query again reads nothing, and gives the same estimate...
        assert (again, again.exact, again_queries) == (first, False, 0)
        # ...and another query is estimated on its own
        assert not every.exact and every_queries == 2
    else:
        # SQLite counts them all, every time
        assert (first, first.exact, first_queries) == (3, True, 2)
        assert (again, again_queries) == (3, 2)
        assert (every, every_queries) == (4, 2)


def test_under_the_cap_the_count_is_exact_and_never_estimated():
    CaseFactory(status="open")
    tally, queries = counted(Case.objects.filter(status="open"), cap=5)
    assert (tally, tally.exact, queries) == (1, True, 1)


def test_a_time_in_the_query_is_estimated_once_a_minute():
    # given cases counted with a cap of one before a moment (as the SLA filters count before
    # "now")
    for _ in range(3):
        CaseFactory()
    moment = datetime(2030, 5, 1, 12, 0, 5, tzinfo=UTC)

    def before(at):
        return counted(Case.objects.filter(created_at__lt=at), cap=1)[1]

    first = before(moment)
    # then a few seconds later the estimate is the same one; the next minute it is asked again
    later = before(moment + timedelta(seconds=40))
    next_minute = before(moment + timedelta(minutes=1))
    expected = (2, 0, 2) if connection.vendor == "postgresql" else (2, 2, 2)
    assert (first, later, next_minute) == expected


def test_a_query_found_beyond_a_smaller_cap_is_counted_again_under_a_larger_one():
    # given three open cases, found beyond a cap of one (and so estimated, on PostgreSQL)
    for _ in range(3):
        CaseFactory(status="open")
    open_cases = Case.objects.filter(status="open")
    row_count(open_cases, cap=1)
    # when the same query is counted with a cap of five then it is counted, exactly
    tally, queries = counted(open_cases, cap=5)
    assert (tally, tally.exact, queries) == (3, True, 1)


def test_a_count_goes_on_while_the_cache_is_down(caplog, cache_down):
    # given three open cases and a cache that is a Redis nobody listens on
    for _ in range(3):
        CaseFactory(status="open")
    cache_down()
    # when they are counted beyond a cap of one then the count is answered as ever
    with caplog.at_level(logging.WARNING, logger="tickets.selectors.cached"):
        tally, queries = counted(Case.objects.filter(status="open"), cap=1)
    if connection.vendor == "postgresql":
        assert (tally.exact, queries) == (False, 2) and tally >= 2
        assert "Counted without the cache" in caplog.text
    else:
        assert (tally, tally.exact, queries) == (3, True, 2)


def test_a_query_that_can_match_nothing_counts_none():
    CaseFactory(status="open")
    tally, queries = counted(Case.objects.filter(pk__in=[]), cap=5)
    assert (tally, tally.exact, queries) == (0, True, 0)
