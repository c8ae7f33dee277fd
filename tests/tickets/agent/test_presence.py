"""Presence: agents on a case see each other viewing or replying; reports expire after 30 s."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.tickets.agent.conftest import render_tag
from tests.tickets.factories import CaseFactory, agent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def url(case):
    return reverse("tickets:agent-case-presence", args=[case.number])


def report(client, case, state):
    return client.post(url(case), {"state": state})


@pytest.fixture
def ana_and_ben(client, time_machine):
    time_machine.move_to("2026-03-04T12:00:00+00:00", tick=False)
    ana, ben = Client(), Client()
    ana.force_login(agent(username="ana", first_name="Ana"))
    ben.force_login(agent(username="ben", first_name="Ben"))
    return ana, ben


def test_each_agent_sees_the_others_on_the_case_not_themselves(ana_and_ben, time_machine):
    ana, ben = ana_and_ben
    case = CaseFactory()
    # given Ana opened the case
    assert report(ana, case, "viewing").json() == []
    time_machine.shift(timedelta(seconds=4))
    # when Ben starts replying, he sees Ana viewing (4 s ago)
    assert report(ben, case, "replying").json() == [
        {"name": "Ana", "state": "viewing", "seconds": 4}
    ]
    # and Ana, on her next report, sees Ben replying
    time_machine.shift(timedelta(seconds=1))
    assert report(ana, case, "viewing").json() == [
        {"name": "Ben", "state": "replying", "seconds": 1}
    ]


def test_an_agent_silent_for_more_than_30_seconds_is_gone(ana_and_ben, time_machine):
    ana, ben = ana_and_ben
    case = CaseFactory()
    report(ana, case, "viewing")
    time_machine.shift(timedelta(seconds=30))
    assert report(ben, case, "viewing").json() == [
        {"name": "Ana", "state": "viewing", "seconds": 30}
    ]
    time_machine.shift(timedelta(seconds=1))
    # Ana's report is 31 s old now
    assert report(ben, case, "viewing").json() == []


def test_presence_is_per_case(ana_and_ben):
    ana, ben = ana_and_ben
    one, other = CaseFactory(), CaseFactory()
    report(ana, one, "viewing")
    assert report(ben, other, "viewing").json() == []


@pytest.mark.parametrize("body", [{}, {"state": "typing"}, {"state": ""}])
def test_an_unknown_state_is_a_400(agent_client, body):
    response = agent_client.post(url(CaseFactory()), body)
    assert response.status_code == 400
    assert "viewing" in response.json()["error"]


def test_only_post(agent_client):
    assert agent_client.get(url(CaseFactory())).status_code == 405


def test_a_case_out_of_sight_is_a_404(agent_client, settings):
    settings.CASE_VISIBILITY = "own"
    hidden = CaseFactory(assignee=agent(username="bob"))
    assert report(agent_client, hidden, "viewing").status_code == 404


def test_signed_out_goes_to_the_login_page(client):
    response = report(client, CaseFactory(), "viewing")
    assert response.status_code == 302
    assert "/agent/login/" in response["Location"]


def test_csrf_is_checked(agent_user):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(agent_user)
    assert report(strict, CaseFactory(), "viewing").status_code == 403


def test_the_report_takes_a_fixed_number_of_queries(ana_and_ben, django_assert_num_queries):
    ana, _ben = ana_and_ben
    case = CaseFactory()
    report(ana, case, "viewing")
    # session, the case (the signed-in user and the permissions with groups are kept in the
    # cache)
    with django_assert_num_queries(2):
        report(ana, case, "viewing")


def test_the_bar_renders_a_container_with_its_url(agent_user):
    case = CaseFactory()
    html = render_tag("{% presence_bar case %}", user=agent_user, case=case)
    assert url(case) in html
    assert "presence-bar" in html
    assert "{name} is replying" in html
    assert "csrfmiddlewaretoken" in html
