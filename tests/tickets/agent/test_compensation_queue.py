"""The supervisors' approval queue, `/agent/compensations/`."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory
from tickets.agent import compensations as views
from tickets.models import Compensation
from tickets.services.compensations import (
    compensation_goods_shipped,
    compensation_mark_failed,
    compensation_propose,
)

pytestmark = pytest.mark.django_db

QUEUE = "/agent/compensations/"


def proposed(amount="150.00", *, case=None, minutes_ago=0, actor=None):
    compensation = compensation_propose(
        case=case or CaseFactory(), kind="refund", amount=Decimal(amount), actor=actor
    )
    created_at = timezone.now() - timedelta(minutes=minutes_ago)
    Compensation.objects.filter(pk=compensation.pk).update(created_at=created_at)
    return compensation


@pytest.fixture
def supervisor_client(client, supervisor_user):
    client.force_login(supervisor_user)
    return client


def rows_of(response):
    return [compensation.pk for compensation, _moves in response.context["rows"]]


def test_an_agent_is_refused_in_the_agent_layout(agent_client):
    response = agent_client.get(QUEUE)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Supervisors only" in html
    assert 'class="agent-header"' in html


def test_signed_out_goes_to_the_sign_in_page(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/agent/login/")


def test_the_queue_shows_what_waits_oldest_first(supervisor_client, agent_user):
    # given two proposals above the limit, one of them Alice's, and one within it (approved)
    agent_user.first_name, agent_user.last_name = "Alice", "Adams"
    agent_user.save()
    customer = CustomerFactory(name="Maria Sanz", country="ES")
    newer = proposed(minutes_ago=5, actor=agent_user)
    older = proposed(
        "250.00",
        case=CaseFactory(customer=customer, order=OrderFactory(customer=customer)),
        minutes_ago=60,
    )
    proposed("10.00")
    # when the supervisor opens the queue
    response = supervisor_client.get(QUEUE)
    # then the waiting ones show, the oldest first, with what to decide on
    assert response.status_code == 200
    assert rows_of(response) == [older.pk, newer.pk]
    html = response.content.decode()
    assert f'href="/agent/cases/{older.case.number}/"' in html
    assert "Maria Sanz" in html
    assert "€250.00" in html
    # who proposed it, by name, and how long ago, as the workspace's timeline says it
    assert "Alice Adams" in html
    assert "5\xa0minutes ago" in html
    assert "1\xa0hour ago" in html
    assert f"/agent/compensations/{older.pk}/approve/" in html
    assert f"/agent/compensations/{older.pk}/reject/" in html


def test_a_proposal_without_an_agent_names_the_customer_or_the_system(supervisor_client):
    chosen = compensation_propose(
        case=CaseFactory(), kind="replacement", amount=Decimal("150"), actor=None, by_customer=True
    )
    released = proposed()
    response = supervisor_client.get(QUEUE)
    assert rows_of(response) == [chosen.pk, released.pk]
    proposers = re.findall(r"<td>\s*(the \w+)\s*<span", response.content.decode())
    assert proposers == ["the customer", "the system"]


def test_goods_already_shipped_say_so(supervisor_client):
    replacement = compensation_propose(
        case=CaseFactory(), kind="replacement", amount=Decimal("150"), actor=None
    )
    compensation_goods_shipped(compensation=replacement, actor=None, tracking_number="RP77")
    html = supervisor_client.get(QUEUE).content.decode()
    assert "Already shipped as RP77: approving it marks it issued." in html


def test_the_approved_tab_lists_what_waits_to_be_issued(supervisor_client):
    approved = proposed("20.00", minutes_ago=10)
    failed = proposed("30.00", minutes_ago=5)
    compensation_mark_failed(compensation=failed, actor=None, reason="Card expired")
    issued = proposed("40.00")
    Compensation.objects.filter(pk=issued.pk).update(status=Compensation.Status.ISSUED)
    proposed()  # waiting: not on this tab
    response = supervisor_client.get(QUEUE, {"tab": "approved"})
    assert rows_of(response) == [approved.pk, failed.pk]
    html = response.content.decode()
    assert "Card expired" in html
    assert f"/agent/compensations/{approved.pk}/issue/" in html
    assert f"/agent/compensations/{failed.pk}/issue/" in html


def test_an_unknown_tab_shows_the_waiting_ones(supervisor_client):
    waiting = proposed()
    assert rows_of(supervisor_client.get(QUEUE, {"tab": "everything"})) == [waiting.pk]


def test_an_empty_queue_says_so(supervisor_client):
    assert "Nothing waits for approval." in supervisor_client.get(QUEUE).content.decode()


def test_pages_follow_each_other_by_key(supervisor_client, monkeypatch):
    monkeypatch.setattr(views, "QUEUE_PAGE_SIZE", 2)
    # five proposals, two of them at the same instant
    waiting = [proposed(minutes_ago=minutes) for minutes in (50, 40, 40, 30, 20)]
    first = supervisor_client.get(QUEUE)
    assert rows_of(first) == [c.pk for c in waiting[:2]]
    second = supervisor_client.get(QUEUE, {"after": first.context["next_after"]})
    assert rows_of(second) == [c.pk for c in waiting[2:4]]
    third = supervisor_client.get(QUEUE, {"after": second.context["next_after"]})
    assert rows_of(third) == [waiting[4].pk]
    assert third.context["next_after"] == ""
    assert "First page" in third.content.decode()


@pytest.mark.parametrize(
    "after",
    [
        "yesterday",
        "2026-07-15T10:00:00~x",
        "2026-07-15T10:00:00~3",
        "2026-07-15T10:00:00+00:00~99999999999999999999999",
        "2026-07-15T10:00:00+00:00~-1",
    ],
)
def test_a_broken_page_link_is_a_clear_400(supervisor_client, after):
    response = supervisor_client.get(QUEUE, {"after": after})
    assert response.status_code == 400
    assert "That page link is broken" in response.content.decode()


def test_approving_from_the_queue_comes_back_to_it(supervisor_client):
    waiting = proposed()
    response = supervisor_client.post(
        f"/agent/compensations/{waiting.pk}/approve/", {"next": QUEUE}
    )
    assert response.status_code == 303
    assert response["Location"] == QUEUE
    assert rows_of(supervisor_client.get(QUEUE)) == []


def test_the_queues_queries_do_not_grow_with_its_rows(supervisor_client):
    proposed(minutes_ago=100)
    supervisor_client.get(QUEUE)  # warm-up: the permissions kept, as at a worker's next request
    with CaptureQueriesContext(connection) as one:
        assert len(rows_of(supervisor_client.get(QUEUE))) == 1
    for minutes in range(29):
        proposed(minutes_ago=minutes)
    with CaptureQueriesContext(connection) as thirty:
        assert len(rows_of(supervisor_client.get(QUEUE))) == 30
    assert len(one) == len(thirty)


def test_the_queue_costs_a_fixed_number_of_queries(supervisor_client, django_assert_num_queries):
    for minutes in range(30):
        proposed(minutes_ago=minutes)
    # the session, the user (and whether they have a two-factor device), their permissions and
    # groups (kept in the cache from then on), the page of rows
    with django_assert_num_queries(4):
        supervisor_client.get(QUEUE)
