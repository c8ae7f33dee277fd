"""/agent/cases/pane/: the list beside the workspace, fetched by the page once it is drawn,
with the list's filters from the URL and the current case marked."""

import pytest

from tests.tickets.factories import CaseFactory, UserFactory, agent

PANE = "/agent/cases/pane/"


@pytest.mark.django_db
def test_the_pane_shows_the_filtered_list_with_the_current_case_marked(agent_client):
    general = CaseFactory(kind="general")
    other_general = CaseFactory(kind="general")
    defect = CaseFactory(kind="defect")
    response = agent_client.get(PANE, {"kind": "general", "current": general.number})
    html = response.content.decode()
    assert response.status_code == 200
    assert general.number in html and other_general.number in html
    assert defect.number not in html
    assert html.count('class="case-row is-current"') == 1
    # The rows link with the list's filters, without the pane's own `current`.
    assert f'data-href="/agent/cases/{other_general.number}/?kind=general"' in html
    # A fragment for the page to insert, not a page of its own.
    assert "<html" not in html and "agent-header" not in html


@pytest.mark.django_db
def test_the_workspace_links_its_pane_with_the_list_it_came_from(agent_client):
    case = CaseFactory(kind="general")
    html = agent_client.get(f"/agent/cases/{case.number}/?kind=general").content.decode()
    assert f'data-pane="{PANE}?kind=general&amp;current={case.number}"' in html
    # Until the pane arrives (or without scripts) it links to that list.
    assert 'href="/agent/cases/?kind=general"' in html


@pytest.mark.django_db
def test_the_pane_with_bad_filters_says_so_instead_of_failing(agent_client):
    response = agent_client.get(PANE, {"sort": "sideways"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


@pytest.mark.django_db
def test_the_pane_shows_only_cases_the_agent_may_see(client, settings):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    own = CaseFactory(assignee=ana)
    hidden = CaseFactory(assignee=agent(username="bob"))
    client.force_login(ana)
    html = client.get(PANE, {"status": "all"}).content.decode()
    assert own.number in html and hidden.number not in html


@pytest.mark.django_db
def test_the_pane_needs_a_signed_in_agent(client):
    assert client.get(PANE).status_code == 302
    client.force_login(UserFactory(username="visitor"))
    assert client.get(PANE).status_code == 403


@pytest.mark.django_db
def test_the_pane_query_count_does_not_grow(agent_client, django_assert_num_queries):
    CaseFactory()
    agent_client.get(PANE)
    # session, the rows (the signed-in user and the permissions are kept in the cache)
    with django_assert_num_queries(2):
        agent_client.get(PANE)
    for _ in range(30):
        CaseFactory()
    with django_assert_num_queries(2):
        agent_client.get(PANE)
