"""The inspection queue (/agent/returns/inspection/): received returns the agent sees, the
longest waiting first, keyset pages with a cursor, a broken cursor a 400, and as many queries
for 12 rows as for 2."""

import base64
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns import queue
from returns.models import ReturnLine, ReturnRequest
from tests.tickets.factories import (
    CaseFactory,
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    UserFactory,
    agent,
)

pytestmark = pytest.mark.django_db

URL = "/agent/returns/inspection/"
NOW = datetime(2027, 3, 10, 9, 0, tzinfo=UTC)
RMA = re.compile(r'data-rma="([^"]+)"')


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def waiting(
    received_at,
    *,
    status=ReturnRequest.Status.RECEIVED,
    kind="return",
    lines=(("Kettle", 1),),
    assignee=None,
    name="Lena Weber",
    country="DE",
):
    """A return request of a new order, stored in `status` as the receipt left it (received at
    `received_at`), with a line per (title, quantity)."""
    customer = CustomerFactory(name=name)
    order = OrderFactory(customer=customer, shipping_country=country)
    case = CaseFactory(customer=customer, order=order, kind=kind, assignee=assignee)
    request = ReturnRequest.objects.create(
        case=case, order=order, kind=kind, preferred_outcome="refund"
    )
    for title, quantity in lines:
        order_line = OrderLineFactory(order=order, title=title, quantity=quantity)
        ReturnLine.objects.create(
            request=request, order_line=order_line, quantity=quantity, reason_code="doesnt_fit"
        )
    # Status is the services' to move; a test stores the state a receipt leaves directly.
    ReturnRequest.objects.filter(pk=request.pk).update(status=status, received_at=received_at)
    return request


def listed(response) -> list[str]:
    return RMA.findall(response.content.decode())


def test_the_longest_waiting_come_first_with_what_each_row_shows(agent_client):
    # given three received returns and two that are not waiting for inspection
    newest = waiting(NOW - timedelta(hours=3))
    oldest = waiting(
        NOW - timedelta(days=2, hours=3),
        kind="defect",
        lines=(("Kettle", 2), ("Toaster", 1)),
        name="Zoë Ångström",
        country="FR",
    )
    middle = waiting(NOW - timedelta(days=1))
    waiting(NOW - timedelta(days=5), status=ReturnRequest.Status.IN_TRANSIT)
    waiting(NOW - timedelta(days=6), status=ReturnRequest.Status.INSPECTED)

    # when the agent opens the queue
    response = agent_client.get(URL)

    # then the received ones are listed, the longest waiting first, and counted
    assert response.status_code == 200
    assert listed(response) == [oldest.rma, middle.rma, newest.rma]
    page = response.content.decode()
    assert "3 returns wait for inspection" in page
    # and a row says who, what, which kind, how long and where from, linking to the case
    row = page[page.index(f'data-rma="{oldest.rma}"') : page.index(f'data-rma="{middle.rma}"')]
    assert f'href="/agent/cases/{oldest.case.number}/"' in row
    assert "Zoë Ångström" in row and "3 units" in row and "Kettle" in row and "+1 item" in row
    assert "kind-defect" in row and "Defect claim" in row
    assert "2 d 3 h" in row and "FR" in row
    assert reverse("returns:agent-inspection-queue") == URL


def test_an_empty_queue_says_so(agent_client):
    response = agent_client.get(URL)

    assert response.status_code == 200
    assert "No return waits for inspection." in response.content.decode()


def test_pages_follow_the_cursor_and_ties_keep_their_order(agent_client, monkeypatch):
    # given five received returns, two of them received at the same instant
    monkeypatch.setattr(queue, "PAGE_SIZE", 2)
    same = NOW - timedelta(days=3)
    first, second = waiting(NOW - timedelta(days=4)), waiting(same)
    third, fourth = waiting(same), waiting(NOW - timedelta(days=2))
    fifth = waiting(NOW - timedelta(days=1))

    # when the agent follows "Next page" to the end
    seen, url, pages = [], URL, 0
    while url:
        response = agent_client.get(url)
        assert response.status_code == 200
        seen.append(listed(response))
        pages += 1
        url = response.context["next_url"]
        assert "5 returns wait for inspection" in response.content.decode()
        assert pages < 5

    # then every return is shown once, in order, two a page, the last page without a next link
    assert seen == [[first.rma, second.rma], [third.rma, fourth.rma], [fifth.rma]]
    last = response.content.decode()
    assert 'rel="next"' not in last and f'href="{URL}">First page' in last


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        _cursor(["2027-03-01T10:00:00", 5]),  # no time zone
        _cursor(["yesterday", 5]),
        _cursor(["2027-13-45T10:00:00+00:00", 5]),
        _cursor(["2027-03-01T10:00:00+00:00", "5"]),
        _cursor(["2027-03-01T10:00:00+00:00", True]),
        _cursor(["2027-03-01T10:00:00+00:00", 2**63]),
        _cursor({"at": 1}),
    ],
    ids=[
        "garbage",
        "naive-time",
        "no-time",
        "impossible-time",
        "string-id",
        "bool-id",
        "huge-id",
        "object",
    ],
)
def test_a_broken_cursor_is_a_400_that_says_so(agent_client, cursor):
    waiting(NOW - timedelta(days=1))

    response = agent_client.get(URL, {"cursor": cursor})

    assert response.status_code == 400
    page = response.content.decode()
    assert "That page link is broken; start from the first page." in page
    assert f'href="{URL}"' in page
    assert listed(response) == []


def test_a_case_the_agent_does_not_see_is_neither_listed_nor_counted(client, settings):
    # given Ana sees only her own cases
    settings.CASE_VISIBILITY = "own"
    ana, bob = agent(username="ana"), agent(username="bob")
    hers = waiting(NOW - timedelta(days=1), assignee=ana)
    waiting(NOW - timedelta(days=2), assignee=bob)
    waiting(NOW - timedelta(days=3))
    client.force_login(ana)

    response = client.get(URL)

    assert listed(response) == [hers.rma]
    assert "1 return waits for inspection" in response.content.decode()


def test_only_agents_who_may_view_cases_open_it(client):
    assert client.get(URL).status_code == 302  # to the sign-in page
    client.force_login(UserFactory(username="nobody"))
    assert client.get(URL).status_code == 403


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL)
    assert response.status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_the_rows(agent_client):
    for days in range(2):
        waiting(NOW - timedelta(days=days + 1), lines=(("Kettle", 1), ("Toaster", 2)))
    agent_client.get(URL)  # the session's first reads out of the way
    two = _queries(agent_client)

    for days in range(10):
        waiting(NOW - timedelta(days=days + 10), lines=(("Kettle", 1), ("Toaster", 2)))
    twelve = _queries(agent_client)

    assert twelve == two


def test_the_agents_menu_links_the_queue(agent_client):
    page = agent_client.get("/agent/").content.decode()
    assert 'href="/agent/returns/inspection/"' in page
