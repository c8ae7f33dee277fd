"""Paging the lists: `next`/`previous` cursors walk every row once in every ordering, page
numbers still work down to LIST_PAGE_MAX_ROWS, and `count` is exact up to LIST_COUNT_CAP."""

import base64
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory
from tickets.models import Case

CASES = "/api/v1/cases/"
PRIORITIES = Case.Priority.values


@pytest.fixture
def many_cases(db):
    """23 cases; created and updated in groups of three at the same instant (ties the id
    breaks), priorities mixed."""
    start = timezone.now() - timedelta(days=1)
    cases = []
    for index in range(23):
        case = CaseFactory(
            subject=f"case {index}", priority=PRIORITIES[index * 7 % len(PRIORITIES)]
        )
        at = start + timedelta(minutes=index // 3)
        Case.objects.filter(pk=case.pk).update(created_at=at, updated_at=at)
        cases.append(case)
    return cases


def walk(client, url: str, params: dict) -> tuple[list[str], list[dict]]:
    """Follow `next` from the first page to the last: the rows' keys and every page."""
    pages = [client.get(url, params).json()]
    while pages[-1]["next"]:
        assert len(pages) < 50, "the walk does not end"
        response = client.get(pages[-1]["next"])
        assert response.status_code == 200, response.content
        pages.append(response.json())
    return [key(row) for page in pages for row in page["results"]], pages


def key(row: dict) -> str:
    return str(row.get("number") or row.get("email"))


def everything(client, url: str, params: dict) -> list[str]:
    body = client.get(url, {**params, "page_size": 200}).json()
    assert body["next"] is None
    return [key(row) for row in body["results"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ordering",
    [
        "",
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
        "priority",
        "-priority",
        "priority,-created_at",
        "-priority,created_at",
    ],
)
def test_next_links_walk_every_case_once_in_each_ordering(writer, many_cases, ordering):
    # given 23 cases with ties in every ordering
    params = {"ordering": ordering, "page_size": 4}
    expected = everything(writer, CASES, params)
    assert len(expected) == 23
    # when a client follows `next` from the first page
    seen, pages = walk(writer, CASES, params)
    # then it sees every case exactly once, in the list's order, over cursor links
    assert seen == expected
    assert len(pages) == 6
    assert all("cursor=" in page["next"] for page in pages[:-1])
    assert all(f"ordering={ordering.replace(',', '%2C')}" in page["next"] for page in pages[:-1])
    # and `previous` walks back through the same pages
    back = [pages[-1]]
    while back[-1]["previous"]:
        back.append(writer.get(back[-1]["previous"]).json())
    assert [[key(row) for row in page["results"]] for page in reversed(back)] == [
        [key(row) for row in page["results"]] for page in pages
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "ordering"),
    [
        ("/api/v1/orders/", ""),
        ("/api/v1/orders/", "-total"),
        ("/api/v1/orders/", "number"),
        ("/api/v1/customers/", ""),
        ("/api/v1/customers/", "name"),
        ("/api/v1/customers/", "-created_at"),
    ],
)
def test_next_links_walk_every_order_and_customer_once(writer, url, ordering):
    # given orders of one instant and a few totals, customers sharing names
    at = timezone.now()
    for index in range(11):
        customer = CustomerFactory(name=f"Name {index % 3}")
        OrderFactory(customer=customer, placed_at=at, total=Decimal(index % 4))
    params = {"ordering": ordering, "page_size": 3}
    # when a client follows `next`, then it sees every row once, in order
    expected = everything(writer, url, params)
    assert len(expected) == 11
    assert walk(writer, url, params)[0] == expected


@pytest.mark.django_db
def test_a_case_added_while_paging_is_neither_repeated_nor_skipped(writer, many_cases):
    # given a client half-way through the cases, oldest first
    params = {"ordering": "created_at", "page_size": 10}
    first = writer.get(CASES, params).json()
    # when a new case arrives (it sorts last) before the next page is read
    CaseFactory(subject="late")
    second = writer.get(first["next"]).json()
    third = writer.get(second["next"]).json()
    # then the pages go on where they were, and the new case comes at the end
    seen = [row["subject"] for page in (first, second, third) for row in page["results"]]
    assert len(seen) == len(set(seen)) == 24
    assert seen[-1] == "late"


@pytest.mark.django_db
def test_page_numbers_still_work(writer, many_cases):
    # given the cases in one page
    expected = everything(writer, CASES, {})
    # when a client asks for page 2 of 5 rows by number, as before
    body = writer.get(CASES, {"page": 2, "page_size": 5}).json()
    # then it gets rows 6 to 10, the count, and links to the pages around it
    assert [key(row) for row in body["results"]] == expected[5:10]
    assert (body["count"], body["count_exact"]) == (23, True)
    assert [key(row) for row in writer.get(body["next"]).json()["results"]] == expected[10:15]
    assert [key(row) for row in writer.get(body["previous"]).json()["results"]] == expected[:5]
    # and a page past the end is still a 404
    assert_error_shape(writer.get(CASES, {"page": 6, "page_size": 5}), 404, "not_found")


@pytest.mark.django_db
def test_a_page_too_deep_for_its_number_says_to_follow_next(writer, many_cases, settings):
    # given page numbers served down to row 10
    settings.LIST_PAGE_MAX_ROWS = 10
    # when a client asks for rows 11 to 15 by number
    response = writer.get(CASES, {"page": 3, "page_size": 5})
    # then it is told to follow `next` instead
    body = assert_error_shape(response, 404, "page_too_deep")
    assert "next" in body["detail"] and "10" in body["detail"]
    # while the same rows are reached by cursor
    page = writer.get(CASES, {"page": 2, "page_size": 5}).json()
    assert len(writer.get(page["next"]).json()["results"]) == 5


def token(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        token({"x": 1}),
        token({"o": ["-created_at", "-pk"], "v": ["no time", 1], "b": False}),
        token({"o": ["-created_at", "-pk"], "v": [None, 1], "b": False}),
        token({"o": ["-created_at", "-pk"], "v": ["2026-01-01T00:00:00Z"], "b": False}),
        base64.urlsafe_b64encode(b"[" * 100_000).decode(),
    ],
    ids=["not-base64-json", "no-position", "bad-time", "null", "too-short", "nested-deep"],
)
def test_a_cursor_this_list_did_not_give_is_a_404_that_says_so(writer, many_cases, cursor):
    body = assert_error_shape(writer.get(CASES, {"cursor": cursor}), 404, "invalid_cursor")
    assert "`next`" in body["detail"]


@pytest.mark.django_db
def test_a_cursor_of_another_ordering_is_refused(writer, many_cases):
    # given a cursor from the list by priority
    next_link = writer.get(CASES, {"ordering": "priority", "page_size": 5}).json()["next"]
    cursor = next_link.split("cursor=")[1].split("&")[0]
    # when it is sent with another ordering
    response = writer.get(CASES, {"ordering": "-updated_at", "cursor": cursor})
    # then the answer names the mismatch
    body = assert_error_shape(response, 404, "invalid_cursor")
    assert "ordering" in body["detail"]


@pytest.mark.django_db
def test_an_empty_cursor_is_the_first_page(writer, many_cases):
    assert writer.get(CASES, {"cursor": ""}).json() == writer.get(CASES).json()


@pytest.mark.django_db
def test_the_count_is_exact_up_to_the_cap_and_flagged_beyond(writer, many_cases, settings):
    # given counts exact up to 23 rows
    settings.LIST_COUNT_CAP = 23
    body = writer.get(CASES).json()
    assert (body["count"], body["count_exact"]) == (23, True)
    # when the cap is below the number of rows
    settings.LIST_COUNT_CAP = 10
    body = writer.get(CASES).json()
    # then PostgreSQL's estimate is given, flagged, and never below what was counted; other
    # databases count them all
    if connection.vendor == "postgresql":
        assert body["count_exact"] is False
        assert body["count"] > 10
    else:
        assert (body["count"], body["count_exact"]) == (23, True)
    # and a filtered list under the cap is exact again
    body = writer.get(CASES, {"priority": "urgent"}).json()
    urgent = Case.objects.filter(priority="urgent").count()
    assert (body["count"], body["count_exact"]) == (urgent, True)


@pytest.mark.django_db
def test_a_search_s_pages_read_their_rows_by_the_ids_it_chose(writer):
    # given five customers, three of them named Bernard
    for index in range(5):
        CustomerFactory(
            email=f"c{index}@example.com", name="Jean Bernard" if index % 2 == 0 else "Ana Lima"
        )
    # when a search is paged two at a time
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        first = writer.get("/api/v1/customers/", {"search": "bernard", "page_size": 2}).json()
    second = writer.get(first["next"]).json()
    # then the pages hold its matches once each, in order
    emails = [row["email"] for page in (first, second) for row in page["results"]]
    assert emails == ["c0@example.com", "c2@example.com", "c4@example.com"]
    # and on PostgreSQL the page's rows are read by the ids the search chose, computed once
    # (= ANY(ARRAY(…))), not by the search again beside them (IN (…))
    (page,) = [sql for sql in statements if sql.startswith('SELECT "tickets_customer"."id"')]
    chosen = "= ANY(ARRAY(SELECT" if connection.vendor == "postgresql" else " IN (SELECT"
    assert chosen in page
