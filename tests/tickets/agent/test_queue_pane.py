"""`{% queue_pane %}`: the list beside the workspace, with the list's filters from the URL and
the current case highlighted."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.tickets.factories import CaseFactory, agent

PANE = Template("{% load agent_queue %}{% queue_pane %}")


def render(user, query: str, case=None) -> str:
    request = RequestFactory().get(f"/agent/cases/X/?{query}")
    request.user = user
    return PANE.render(Context({"request": request, "case": case}))


@pytest.mark.django_db
def test_the_pane_shows_the_filtered_list_with_the_current_case_highlighted():
    ana = agent(username="ana")
    general = CaseFactory(kind="general")
    other_general = CaseFactory(kind="general")
    defect = CaseFactory(kind="defect")
    html = render(ana, "kind=general", case=general)
    assert general.number in html and other_general.number in html
    assert defect.number not in html
    assert 'class="case-row is-current"' in html
    assert f'data-href="/agent/cases/{other_general.number}/?kind=general"' in html


@pytest.mark.django_db
def test_the_pane_with_bad_filters_says_so_instead_of_failing():
    html = render(agent(username="ana"), "sort=sideways")
    assert "not valid" in html


@pytest.mark.django_db
def test_the_pane_query_count_does_not_grow(django_assert_num_queries):
    ana = agent(username="ana")
    CaseFactory()
    render(ana, "")
    with django_assert_num_queries(1):
        render(ana, "")
    for _ in range(30):
        CaseFactory()
    with django_assert_num_queries(1):
        render(ana, "")
