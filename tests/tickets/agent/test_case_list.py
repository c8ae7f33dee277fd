"""The case list: filters from the query string, sort, keyset pages, bad input, access and its
query count."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.tickets.factories import CaseFactory, CustomerFactory, TagFactory, UserFactory, agent
from tickets.models import Case, Team
from tickets.services.transitions import case_transition

LIST = "/agent/cases/"
S = Case.Status


def numbers(response) -> list[str]:
    return [row.number for row in response.context["rows"]]


@pytest.mark.django_db
def test_the_list_shows_active_cases_by_default(agent_client):
    # given an open, a new and a closed case
    open_case = CaseFactory(status=S.OPEN)
    new_case = CaseFactory()
    CaseFactory(status=S.CLOSED)
    # when the agent opens the list
    response = agent_client.get(LIST)
    # then only the active ones show, each row linking to its workspace
    assert response.status_code == 200
    assert set(numbers(response)) == {open_case.number, new_case.number}
    html = response.content.decode()
    assert f'data-href="/agent/cases/{open_case.number}/"' in html
    assert 'class="tag kind kind-defect"' in html


@pytest.mark.django_db
def test_status_all_shows_closed_cases_too(agent_client):
    closed = CaseFactory(status=S.CLOSED)
    assert closed.number in numbers(agent_client.get(LIST, {"status": "all"}))
    assert numbers(agent_client.get(LIST, {"status": "closed"})) == [closed.number]


@pytest.mark.django_db
def test_each_filter_narrows_the_list(frozen, agent_client, agent_user):
    now = timezone.now()
    team = Team.objects.create(name="Returns")
    other = agent(username="bob")
    french = CustomerFactory(country="FR", language="fr")
    cases = {
        "general": CaseFactory(kind="general"),
        "mine": CaseFactory(assignee=agent_user),
        "bob": CaseFactory(assignee=other),
        "team": CaseFactory(team=team),
        "urgent": CaseFactory(priority="urgent"),
        "french": CaseFactory(customer=french, language="fr"),
        "at_risk": CaseFactory(sla_due=now + timedelta(minutes=30)),
        "breached": CaseFactory(sla_due=now - timedelta(minutes=5)),
        "paused": CaseFactory(sla_due=None, sla_paused_at=now),
        "ok": CaseFactory(sla_due=now + timedelta(hours=5)),
        "tagged": CaseFactory(),
    }
    cases["tagged"].tags.add(TagFactory(name="vip"))
    expectations = {
        "kind=general": ["general"],
        "assignee=me": ["mine"],
        f"assignee={other.pk}": ["bob"],
        f"team={team.pk}": ["team"],
        "priority=urgent": ["urgent"],
        "country=fr": ["french"],
        "language=fr": ["french"],
        "sla=at_risk": ["at_risk"],
        "sla=breached": ["breached"],
        "sla=paused": ["paused"],
        "sla=ok": ["ok"],
        "tag=VIP": ["tagged"],
    }
    for query, expected in expectations.items():
        response = agent_client.get(f"{LIST}?{query}")
        assert response.status_code == 200, query
        assert set(numbers(response)) == {cases[name].number for name in expected}, query
    unassigned = set(numbers(agent_client.get(LIST, {"assignee": "none"})))
    assert cases["mine"].number not in unassigned and cases["general"].number in unassigned


@pytest.mark.django_db
@pytest.mark.parametrize("few_tagged", [1000, 0])
def test_the_tag_filter_follows_the_case_s_status(
    agent_client, agent_user, monkeypatch, few_tagged
):
    # a tag on few active cases is listed from its own rows (PostgreSQL), one on more beside
    # the cases' active flag: the same cases either way
    monkeypatch.setattr("tickets.selectors.case_queue.FEW_TAGGED", few_tagged)
    # given a tag on an open case and on a resolved one
    vip = TagFactory(name="vip")
    open_case, resolved = CaseFactory(status=S.OPEN), CaseFactory(status=S.RESOLVED)
    open_case.tags.add(vip)
    resolved.tags.add(vip)
    # then the default list (active cases) shows the open one, and every status both
    assert numbers(agent_client.get(LIST, {"tag": "vip"})) == [open_case.number]
    by_status = {"tag": "vip", "status": S.RESOLVED}
    assert numbers(agent_client.get(LIST, by_status)) == [resolved.number]
    both = {open_case.number, resolved.number}
    assert set(numbers(agent_client.get(LIST, {"tag": "vip", "status": "all"}))) == both
    # when the open case is resolved and the resolved one reopened, the filter follows
    case_transition(case=open_case, to=S.RESOLVED, actor=agent_user)
    case_transition(case=resolved, to=S.OPEN, actor=agent_user)
    assert numbers(agent_client.get(LIST, {"tag": "vip"})) == [resolved.number]
    assert numbers(agent_client.get(LIST, {"tag": "vip", "status": "open"})) == [resolved.number]


@pytest.mark.django_db
def test_the_default_sort_is_sla_due_with_the_cases_without_one_last(frozen, agent_client):
    now = timezone.now()
    later = CaseFactory(sla_due=now + timedelta(hours=3))
    none = CaseFactory(sla_due=None)
    sooner = CaseFactory(sla_due=now + timedelta(hours=1))
    assert numbers(agent_client.get(LIST)) == [sooner.number, later.number, none.number]
    descending = numbers(agent_client.get(LIST, {"sort": "-sla_due"}))
    assert descending == [later.number, sooner.number, none.number]


@pytest.mark.django_db
def test_the_other_sorts(agent_client, time_machine):
    # an hour apart, ending now (a move into the future would end the signed-in session)
    now = timezone.now()
    time_machine.move_to(now - timedelta(hours=1), tick=False)
    old = CaseFactory(priority="urgent")
    time_machine.move_to(now, tick=False)
    new = CaseFactory(priority="low")
    assert numbers(agent_client.get(LIST, {"sort": "-created"})) == [new.number, old.number]
    assert numbers(agent_client.get(LIST, {"sort": "created"})) == [old.number, new.number]
    assert numbers(agent_client.get(LIST, {"sort": "-priority"})) == [old.number, new.number]
    assert numbers(agent_client.get(LIST, {"sort": "-updated"})) == [new.number, old.number]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["sla_due", "-sla_due", "created", "-updated", "-priority"])
def test_keyset_pages_walk_every_case_once(frozen, agent_client, sort):
    # given 60 cases, some sharing a due time, some without one (NULLs), across two priorities
    now = timezone.now()
    for i in range(60):
        CaseFactory(
            sla_due=None if i % 7 == 0 else now + timedelta(minutes=i % 5),
            priority="high" if i % 2 else "normal",
        )
    seen = []
    url = f"{LIST}?sort={sort}"
    pages = 0
    while url:
        response = agent_client.get(url)
        assert response.status_code == 200
        seen += numbers(response)
        url = response.context["next_url"] and LIST + response.context["next_url"]
        pages += 1
    # then every case shows exactly once, 25 to a page
    assert pages == 3
    assert sorted(seen) == sorted(Case.objects.values_list("number", flat=True))
    assert len(seen) == len(set(seen))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "kind=toaster",
        "status=lost",
        "assignee=bob",
        "team=x",
        "sla=soon",
        "country=Germany",
        "sort=colour",
        "cursor=%%%",
        "cursor=WzEsMl0",  # a well-formed cursor of the wrong type for the sort
        "cursor=WyIyMDI2LTEzLTAxVDAwOjAwOjAwKzAwOjAwIiwgMV0",  # month 13: no such time
    ],
)
def test_bad_parameters_answer_400_with_a_message(agent_client, query):
    CaseFactory()
    response = agent_client.get(f"{LIST}?{query}")
    assert response.status_code == 400
    assert response.context["problem"]
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_an_agent_who_sees_only_own_cases_sees_no_other_in_the_list(client, settings):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    own = CaseFactory(assignee=ana, subject="Mine")
    hidden = CaseFactory(assignee=agent(username="bob"), subject="Bobs")
    client.force_login(ana)
    response = client.get(LIST, {"status": "all"})
    assert numbers(response) == [own.number]
    assert hidden.number not in response.content.decode()
    assert response.context["page"].count == 1


@pytest.mark.django_db
def test_a_search_counts_only_the_cases_the_agent_sees_among_the_filtered(client, settings):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    ingrid = CustomerFactory(name="Ingrid Kettleborough")
    both = {"customer": ingrid, "order__customer": ingrid}
    CaseFactory(assignee=ana, kind="defect", **both)
    CaseFactory(assignee=ana, kind="general", **both)
    CaseFactory(assignee=agent(username="bob"), kind="defect", **both)
    client.force_login(ana)
    response = client.get(LIST, {"q": "Kettleborough", "kind": "defect", "status": "all"})
    assert response.context["page"].count == 1


@pytest.mark.django_db
def test_the_list_needs_the_view_case_permission(client):
    client.force_login(UserFactory(username="visitor"))
    response = client.get(LIST)
    assert response.status_code == 403
    # and the 403 page is in the dashboard's layout
    assert 'class="agent-header"' in response.content.decode()


@pytest.mark.django_db
def test_the_list_sends_anonymous_users_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302


def queries_of(client, data=None):
    """The list's response to `data`, and the queries it made."""
    made = []

    def count(execute, sql, params, many, context):
        made.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(LIST, data)
    return response, len(made)


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_rows(agent_client, agent_user):
    CaseFactory.create_batch(26, assignee=agent_user)
    agent_client.get(LIST)
    response, full = queries_of(agent_client)
    assert len(numbers(response)) == 25
    for _ in range(29):
        CaseFactory(assignee=agent_user).tags.add(TagFactory())
    agent_client.get(LIST)
    response, more = queries_of(agent_client)
    assert len(numbers(response)) == 25 and more == full
    # and a search matching all of them costs the same: a query for the matching ids, none to
    # count them
    response, searched = queries_of(agent_client, {"q": "example.com"})
    assert len(numbers(response)) == 25 and searched == full
    assert response.context["page"].count == 55 and response.context["page"].count.exact


@pytest.mark.django_db
def test_a_first_page_that_holds_every_match_is_its_own_count(agent_client, agent_user):
    CaseFactory.create_batch(3, assignee=agent_user)
    agent_client.get(LIST)
    response, few = queries_of(agent_client)
    assert response.context["page"].count == 3 and response.context["page"].count.exact
    # one more case than a page holds: now the list counts them, in one more query
    CaseFactory.create_batch(23, assignee=agent_user)
    agent_client.get(LIST)
    response, full = queries_of(agent_client)
    assert response.context["page"].count == 26 and response.context["page"].count.exact
    assert full == few + 1
    # the next page shows the one left over, and the count of them all
    response = agent_client.get(LIST + response.context["next_url"])
    assert len(numbers(response)) == 1 and response.context["page"].count == 26


@pytest.mark.django_db
def test_the_header_search_leads_to_the_list(agent_client):
    html = agent_client.get("/agent/").content.decode()
    assert 'id="agent-search"' in html and 'action="/agent/cases/"' in html


@pytest.mark.django_db
def test_the_filter_selects_keep_the_chosen_values(agent_client):
    html = agent_client.get(LIST, {"kind": "defect", "sort": "created", "language": "de"})
    html = html.content.decode()
    assert '<select name="kind" id="id_kind">' in html
    assert '<option value="defect" selected>' in html
    assert '<option value="created" selected>' in html
    assert '<option value="de" selected>' in html
    # the selects left alone mark their "any" option, as Django's own widget does
    assert html.count('<option value="" selected>') == 3
    assert html.count(" selected>") == 6
