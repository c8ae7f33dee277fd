"""The list's search: case number, order number, customer email or name, message text; on
PostgreSQL by full-text search, on SQLite by a simple match. Never shows a hidden case."""

import pytest

from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory, agent
from tickets.selectors.case_queue import case_search_ids
from tickets.services.messages import message_add

LIST = "/agent/cases/"


def found(client, q: str) -> set[str]:
    response = client.get(LIST, {"q": q, "status": "all"})
    assert response.status_code == 200
    return {row.number for row in response.context["rows"]}


@pytest.fixture
def world(db):
    maria = CustomerFactory(email="maria.lopez@example.com", name="María López")
    return {
        "by_order": CaseFactory(order=OrderFactory(number="SHOP-77123")),
        "by_customer": CaseFactory(customer=maria, order=OrderFactory(customer=maria)),
        "by_message": CaseFactory(),
        "other": CaseFactory(),
    }


@pytest.mark.django_db
def test_search_by_case_number_in_any_case(agent_client, world):
    case = world["other"]
    assert found(agent_client, case.number.lower()) == {case.number}


@pytest.mark.django_db
def test_search_by_order_number(agent_client, world):
    assert found(agent_client, "SHOP-77123") == {world["by_order"].number}


@pytest.mark.django_db
def test_search_by_customer_email_or_name(agent_client, world):
    expected = {world["by_customer"].number}
    assert found(agent_client, "maria.lopez@example.com") == expected
    # a whole address in any case (one index lookup), or a part of one
    assert found(agent_client, "Maria.Lopez@EXAMPLE.com") == expected
    assert found(agent_client, "lopez@exam") == expected
    assert found(agent_client, "opez@example.com") == set()
    assert found(agent_client, "López") == expected


@pytest.mark.django_db
def test_search_by_words_of_a_message(agent_client, world):
    message_add(
        case=world["by_message"],
        body="The lid cracked after the descaling cycle",
        author_kind="customer",
        actor=None,
    )
    assert found(agent_client, "descaling") == {world["by_message"].number}
    assert found(agent_client, "lid cracked") == {world["by_message"].number}
    assert found(agent_client, "nothing like it") == set()


@pytest.mark.django_db
def test_search_never_shows_a_case_the_agent_may_not_see(client, settings, world):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    client.force_login(ana)
    assert found(client, "SHOP-77123") == set()
    assert world["by_order"].number not in client.get(LIST, {"q": "SHOP-77123"}).content.decode()


@pytest.mark.django_db
def test_search_keeps_at_most_the_cap_and_says_so(agent_client, monkeypatch):
    monkeypatch.setattr("tickets.selectors.case_queue.SEARCH_CAP", 2)
    for _ in range(3):
        CaseFactory()
    ids, capped = case_search_ids(q="example.com")
    assert len(ids) == 2 and capped
    response = agent_client.get(LIST, {"q": "example.com"})
    assert response.context["page"].search_capped
    assert "only the first" in response.content.decode()


@pytest.mark.django_db
def test_the_cap_counts_only_cases_the_list_could_show(agent_client, monkeypatch):
    # given more closed cases matching than the cap, and one open case matching too
    monkeypatch.setattr("tickets.selectors.case_queue.SEARCH_CAP", 2)
    for _ in range(3):
        CaseFactory(status="closed")
    active = CaseFactory(status="open")
    # then the default list (active cases) still finds the open one, and says nothing is cut
    response = agent_client.get(LIST, {"q": "example.com"})
    assert [row.number for row in response.context["rows"]] == [active.number]
    assert not response.context["page"].search_capped
