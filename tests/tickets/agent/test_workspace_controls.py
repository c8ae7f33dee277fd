"""The controls: assign, priority, team and status, as the agent saw the case."""

import pytest

from tests.tickets.agent.workspace_urls import action_url
from tests.tickets.factories import CaseFactory, agent
from tickets.models import Case, Team
from tickets.scenarios import Scenario, scenario_override
from tickets.services.cases import case_set_priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(agent_user):
    """An open case of Alice's, with an order (EUR) and a customer in Berlin."""
    return CaseFactory(assignee=agent_user, status="open")


def _post(client, case, **data):
    return client.post(action_url("update", case), {"version": case.version, **data})


def test_assign_priority_team_and_status_in_one_go(agent_client, agent_user, open_case):
    bob, team = agent(username="bob"), Team.objects.create(name="DACH")
    response = _post(
        agent_client, open_case, assignee=bob.pk, priority="high", team=team.pk, status="resolved"
    )
    assert response.status_code == 303
    open_case.refresh_from_db()
    assert (open_case.assignee, open_case.priority, open_case.team, open_case.status) == (
        bob,
        "high",
        team,
        "resolved",
    )
    verbs = list(open_case.events.values_list("verb", flat=True))
    assert verbs == ["priority_changed", "assigned", "team_changed", "status_changed"]


def test_assign_to_me_and_back_to_the_queue(agent_client, agent_user):
    case = CaseFactory(status="open")
    assert _post(agent_client, case, assignee=agent_user.pk).status_code == 303
    case.refresh_from_db()
    assert case.assignee == agent_user
    assert _post(agent_client, case, assignee="none").status_code == 303
    case.refresh_from_db()
    assert case.assignee is None


def test_a_post_naming_nothing_new_changes_nothing(agent_client, open_case):
    response = _post(agent_client, open_case, assignee=open_case.assignee_id, priority="normal")
    assert response.status_code == 303
    assert not open_case.events.exists()


def test_a_move_the_state_machine_does_not_allow_is_refused(agent_client, agent_user):
    case = CaseFactory(assignee=agent_user, status="waiting_on_customer")
    response = _post(agent_client, case, status="resolved")
    assert response.status_code == 400
    assert "cannot move to that status" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "waiting_on_customer"


def test_a_scenario_guard_refusing_the_move_is_shown_and_nothing_is_written(
    agent_client, open_case
):
    def no_resolving(case, to):
        return "The replacement has not shipped yet." if to == "resolved" else None

    with scenario_override(Scenario(kind=open_case.kind, label="x", guards=(no_resolving,))):
        response = _post(agent_client, open_case, priority="high", status="resolved")
    assert response.status_code == 400
    assert "The replacement has not shipped yet." in response.content.decode()
    open_case.refresh_from_db()
    # all or nothing: the priority did not change either
    assert (open_case.status, open_case.priority) == ("open", "normal")


def test_a_collision_overwrites_nothing_and_says_who_changed_what(agent_client, open_case):
    # given Bob raised the priority after Alice loaded the page
    seen_version = open_case.version
    bob = agent(username="bob", first_name="Bob", last_name="Stone")
    case_set_priority(case=Case.objects.get(pk=open_case.pk), priority="urgent", actor=bob)
    # when Alice saves her change of the priority
    response = agent_client.post(
        action_url("update", open_case), {"version": seen_version, "priority": "low"}
    )
    # then nothing of hers is written, and the page says what happened
    assert response.status_code == 409
    page = response.content.decode()
    assert "This case changed: Bob Stone, Priority: Normal → Urgent" in page
    assert "Reload" in page
    open_case.refresh_from_db()
    assert open_case.priority == "urgent"


@pytest.mark.parametrize(
    "data",
    [
        {"assignee": "999999"},
        {"priority": "whenever"},
        {"team": "abc"},
        {"status": "gone"},
    ],
)
def test_bad_input_is_a_400_with_a_message(agent_client, open_case, data):
    response = _post(agent_client, open_case, **data)
    assert response.status_code == 400
    assert 'class="ws-controls-error"' in response.content.decode()


def test_a_post_without_the_version_is_refused(agent_client, open_case):
    response = agent_client.post(action_url("update", open_case), {"priority": "high"})
    assert response.status_code == 400
    assert "missing the case" in response.content.decode()


def test_a_hidden_case_cannot_be_changed(agent_client, settings):
    settings.CASE_VISIBILITY = "own"
    hidden = CaseFactory(status="open")
    assert _post(agent_client, hidden, priority="high").status_code == 404
    hidden.refresh_from_db()
    assert hidden.priority == "normal"
