"""The home page: active cases by kind and status, mine, unassigned, SLA at risk and breached;
each count a link into the filtered list; cheap and within what the agent sees."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tickets.factories import CaseFactory, agent
from tickets.models import Case
from tickets.selectors.case_queue import case_home_counts

HOME = "/agent/"
S = Case.Status


@pytest.mark.django_db
def test_the_home_counts(frozen, agent_user):
    now = timezone.now()
    CaseFactory(assignee=agent_user, status=S.OPEN)
    CaseFactory(sla_due=now + timedelta(minutes=20))
    CaseFactory(sla_due=now - timedelta(minutes=20), kind="general")
    CaseFactory(sla_due=now + timedelta(hours=3))
    CaseFactory(sla_due=now - timedelta(hours=3), status=S.RESOLVED)
    counts = case_home_counts(user=agent_user)
    assert (counts.mine, counts.unassigned, counts.at_risk, counts.breached) == (1, 3, 1, 1)
    assert counts.by_kind["general"]["new"] == 1
    assert counts.total == 4


@pytest.mark.django_db
def test_every_count_links_into_the_filtered_list(frozen, agent_client):
    CaseFactory(kind="wrong_item", status=S.OPEN)
    html = agent_client.get(HOME).content.decode()
    for query in (
        "assignee=me",
        "assignee=none",
        "sla=at_risk",
        "sla=breached",
        "kind=wrong_item&amp;status=open",
        "kind=wrong_item",
    ):
        assert f'href="/agent/cases/?{query}"' in html, query


@pytest.mark.django_db
def test_the_agents_cases_are_cases_not_the_customers_requests(frozen, agent_client):
    # the portal's "My cases" are the customer's "Anfragen"; the agent's are "Fälle"
    html = agent_client.get(HOME, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Meine Fälle" in html and "Meine Anfragen" not in html


@pytest.mark.django_db
def test_the_counts_are_of_the_cases_the_agent_sees(frozen, client, settings):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    CaseFactory(assignee=ana, sla_due=timezone.now() - timedelta(minutes=1))
    CaseFactory(assignee=agent(username="bob"), sla_due=timezone.now() - timedelta(minutes=1))
    CaseFactory()
    counts = case_home_counts(user=ana)
    assert (counts.total, counts.mine, counts.breached, counts.unassigned) == (1, 1, 1, 0)


@pytest.mark.django_db
def test_the_home_query_count_does_not_grow_with_cases(
    agent_client, agent_user, django_assert_num_queries
):
    CaseFactory(assignee=agent_user)
    agent_client.get(HOME)
    with CaptureQueriesContext(connection) as one:
        agent_client.get(HOME)
    for i in range(30):
        CaseFactory(kind=Case.Kind.values[i % 4], status=S.values[i % 5])
    with django_assert_num_queries(len(one)):
        assert agent_client.get(HOME).status_code == 200


@pytest.mark.django_db
def test_the_counts_by_kind_are_kept_half_a_minute_and_say_when_they_were_counted(
    frozen, agent_client, agent_user, time_machine
):
    # Given Alice's dashboard counted one new defect case
    CaseFactory(kind="defect", status=S.NEW)
    first = case_home_counts(user=agent_user)
    assert first.by_kind["defect"]["new"] == 1
    # When another arrives within the half minute, the shared counts still say one; her own
    # tiles are counted on every visit
    CaseFactory(kind="defect", status=S.NEW, assignee=agent_user)
    time_machine.move_to(frozen + timedelta(seconds=29), tick=False)
    kept = case_home_counts(user=agent_user)
    assert (kept.by_kind["defect"]["new"], kept.by_kind_at, kept.mine) == (1, frozen, 1)
    assert "Counted at 12:00:00;" in agent_client.get(HOME).content.decode()
    # Then after it they are counted again
    time_machine.move_to(frozen + timedelta(seconds=31), tick=False)
    counted = case_home_counts(user=agent_user)
    assert counted.by_kind["defect"]["new"] == 2
    assert counted.by_kind_at == frozen + timedelta(seconds=31)


@pytest.mark.django_db
def test_agents_who_see_other_cases_never_share_kept_counts(frozen, settings):
    # Given agents who see their own cases only, Ana with one case and Bob with none
    settings.CASE_VISIBILITY = "own"
    ana, bob = agent(username="ana"), agent(username="bob")
    CaseFactory(assignee=ana, kind="defect", status=S.OPEN)
    # When both look, Ana first
    assert case_home_counts(user=ana).by_kind["defect"]["open"] == 1
    # Then Bob's counts are his own
    assert case_home_counts(user=bob).total == 0


@pytest.mark.django_db
def test_the_home_page_counts_while_the_cache_is_down(frozen, agent_client, cache_down, caplog):
    CaseFactory(kind="wrong_item", status=S.OPEN)
    cache_down()
    page = agent_client.get(HOME)
    assert page.status_code == 200
    assert page.context["counts"].by_kind["wrong_item"]["open"] == 1
    assert "without the cache" in caplog.text
