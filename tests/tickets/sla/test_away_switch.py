"""The header's away switch: POST /agent/away/ flips it and comes back; no query to show it."""

import pytest
from django.template import RequestContext, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from tickets.auth_backends import PermissionBackend
from tickets.models import AgentProfile

AWAY = reverse("tickets:agent-away")


def _header(user, assert_num_queries=None):
    """The agent layout's switch as a signed-in request of `user` renders it: the user loaded
    by the auth backend (as on every request), then the switch, with no query of its own."""
    request = RequestFactory().get("/agent/cases/?page=2")
    request.user = PermissionBackend().get_user(user.pk)
    template = Template("{% load agent_availability %}{% away_switch %}")
    if assert_num_queries is None:
        return template.render(RequestContext(request))
    with assert_num_queries(0):
        return template.render(RequestContext(request))


HOME = reverse("tickets:agent-home")


@pytest.mark.django_db
def test_an_agent_marks_themselves_away_and_back(agent_client, agent_user):
    response = agent_client.post(AWAY, {"away": "1", "next": "/agent/?x=1"})
    assert (response.status_code, response["Location"]) == (303, "/agent/?x=1")
    assert AgentProfile.objects.get(user=agent_user).away
    assert "routing gives you no new cases" in agent_client.get(HOME).content.decode()
    assert 'aria-pressed="true"' in _header(agent_user)
    agent_client.post(AWAY, {"away": "0", "next": HOME})
    assert not AgentProfile.objects.get(user=agent_user).away
    assert 'aria-pressed="false"' in _header(agent_user)


@pytest.mark.django_db
def test_a_foreign_next_goes_home(agent_client):
    response = agent_client.post(AWAY, {"away": "1", "next": "https://evil.example/"})
    assert response["Location"] == HOME


@pytest.mark.django_db
def test_bad_input_is_a_400_with_a_message(agent_client):
    response = agent_client.post(AWAY, {"away": "maybe"})
    assert response.status_code == 400
    assert b"Choose available or away." in response.content


@pytest.mark.django_db
def test_get_is_refused_and_sign_in_is_needed(agent_client):
    assert agent_client.get(AWAY).status_code == 405
    assert Client().post(AWAY, {"away": "1"}).status_code == 302  # to the sign-in page


@pytest.mark.django_db
def test_without_view_case_it_is_forbidden(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw")
    client.force_login(user)
    assert client.post(AWAY, {"away": "1"}).status_code == 403


@pytest.mark.django_db
def test_the_switch_costs_no_query(agent_user, django_assert_num_queries):
    # given a signed-in agent as the auth backend loads them, with a profile or without
    assert 'aria-pressed="false"' in _header(agent_user, django_assert_num_queries)
    AgentProfile.objects.create(user=agent_user, away=True)
    assert 'aria-pressed="true"' in _header(agent_user, django_assert_num_queries)
