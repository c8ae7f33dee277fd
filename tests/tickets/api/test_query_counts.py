"""Every hot page costs the same number of queries at 10 cases as at 1,000: each list with
each filter, ordering, search and way of paging, a case with its events and messages, and the
dashboard's home. With the count cap at 0 (every count past the cap: estimated on PostgreSQL)
and above both sizes (every count exact), so that each way of counting is held."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tickets.factories import (
    CaseFactory,
    CustomerFactory,
    OrderFactory,
    UserFactory,
)
from tickets.models import Case, CaseEvent, Customer, Message, Order

KINDS, STATUSES, PRIORITIES = Case.Kind.values, Case.Status.values, Case.Priority.values


def grow(to: int, *, assignee) -> None:
    """Bulk-add customers, orders, cases, messages and events until there are `to` cases."""
    start = Case.objects.count()
    now = timezone.now()
    customers = Customer.objects.bulk_create(
        CustomerFactory.build(email=f"grown{index}@example.com") for index in range(start, to, 2)
    )
    orders = Order.objects.bulk_create(
        OrderFactory.build(
            number=f"G-{index}",
            customer=customers[(index - start) // 2],
            placed_at=now - timedelta(minutes=index),
        )
        for index in range(start, to)
    )
    cases = Case.objects.bulk_create(
        CaseFactory.build(
            customer=order.customer,
            order=order,
            kind=KINDS[index % len(KINDS)],
            status=STATUSES[index % len(STATUSES)],
            priority=PRIORITIES[index % len(PRIORITIES)],
            assignee=assignee if index % 3 else None,
            created_at=now - timedelta(minutes=index),
        )
        for index, order in enumerate(orders, start=start)
    )
    Message.objects.bulk_create(
        Message(case=case, author_kind="customer", body="Hi") for case in cases
    )
    CaseEvent.objects.bulk_create(CaseEvent(case=case, verb="status_changed") for case in cases)


def hot_urls(writer, *, case, assignee) -> list[str]:
    customer, order = case.customer, case.order
    cases = "/api/v1/cases/"
    first_page = writer.get(cases, {"page_size": 2}).json()
    return [
        cases,
        *(
            f"{cases}?{query}"
            for query in (
                "kind=wrong_item",
                "status=open",
                "priority=urgent",
                f"assignee={assignee.pk}",
                "unassigned=true",
                f"customer={customer.pk}",
                f"order={order.pk}",
                "updated_since=2000-01-01T00:00:00Z",
                "ordering=created_at",
                "ordering=-updated_at",
                "ordering=priority",
                "ordering=-priority",
                "ordering=priority,-created_at",
                "status=open&ordering=-priority",
                "page_size=2&page=2",
            )
        ),
        first_page["next"],
        "/api/v1/orders/",
        *(
            f"/api/v1/orders/?{query}"
            for query in (
                f"number={order.number}",
                f"customer={customer.pk}",
                "currency=eur",
                "placed_after=2000-01-01T00:00:00Z",
                "ordering=number",
                "ordering=-total",
                "page_size=2&page=2",
            )
        ),
        "/api/v1/customers/",
        *(
            f"/api/v1/customers/?{query}"
            for query in (
                "search=example",
                f"email={customer.email.upper()}",
                "country=de",
                "ordering=name",
                "ordering=-created_at",
            )
        ),
        f"{cases}{case.number}/",
        f"{cases}{case.number}/events/",
        f"{cases}{case.number}/messages/",
    ]


def queries_of(client, url: str) -> int:
    assert client.get(url).status_code == 200, url  # warm-up: the key's last use, caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("cap", [0, 100_000], ids=["counts-estimated", "counts-exact"])
def test_hot_pages_cost_the_same_queries_at_10_and_1000_cases(
    writer, agent_client, settings, cap, django_assert_num_queries
):
    # given 10 cases, with counts capped at `cap`
    settings.LIST_COUNT_CAP = settings.HOME_COUNT_CAP = cap
    assignee = UserFactory(username="ines")
    case = CaseFactory()
    grow(10, assignee=assignee)
    at_10 = [queries_of(writer, url) for url in hot_urls(writer, case=case, assignee=assignee)]
    home_at_10 = queries_of(agent_client, "/agent/")
    # when the data grows a hundredfold
    grow(1000, assignee=assignee)
    # then every page costs the same queries as before (the same URLs; the cursor is the
    # one the first page gives now)
    urls = hot_urls(writer, case=case, assignee=assignee)
    for url, queries in zip(urls, at_10, strict=True):
        assert writer.get(url).status_code == 200, url
        with django_assert_num_queries(queries):
            assert writer.get(url).status_code == 200, url
    with django_assert_num_queries(home_at_10):
        assert agent_client.get("/agent/").status_code == 200


@pytest.mark.django_db
def test_a_case_timeline_reads_only_the_case_id_to_check_access(writer):
    # given a case with tags and an event
    case = CaseFactory()
    case.tags.create(name="fragile")
    CaseEvent.objects.create(case=case, verb="status_changed")
    url = f"/api/v1/cases/{case.number}/events/"
    assert writer.get(url).status_code == 200  # warm-up: the key's last use
    # when its timeline is read
    with CaptureQueriesContext(connection) as captured:
        response = writer.get(url)
    # then who asks costs one query (key with its user; the permissions with groups are kept in
    # the cache), the case one (its id, no joins, no tags), the page two (rows, count)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    case_lookups = [q["sql"] for q in captured if 'FROM "tickets_case"' in q["sql"]]
    assert len(case_lookups) == 1
    assert "JOIN" not in case_lookups[0]
    assert '"tickets_case"."subject"' not in case_lookups[0]
    assert not any("tickets_tag" in q["sql"] for q in captured)
    assert len(captured) == 4
