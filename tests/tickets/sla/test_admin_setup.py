"""Supervisors manage teams' business hours, routing rules and SLA policies in the admin: bad
input is a form error, switching a policy off is an action that stops its clocks."""

import pytest

from tests.tickets.factories import CaseFactory, supervisor
from tickets.models import Case, RoutingRule, SLAPolicy, Team

TEAMS = "/admin/tickets/team/"
POLICIES = "/admin/tickets/slapolicy/"
RULES = "/admin/tickets/routingrule/"


@pytest.fixture
def sam(client):
    user = supervisor(username="sam", is_staff=True)
    client.force_login(user)
    return user


def _team(**overrides):
    data = {
        "name": "DACH",
        "description": "",
        "languages": "[]",
        "time_zone": "Europe/Berlin",
        "working_days": ["0", "1", "2", "3", "4"],
        "day_start": "09:00",
        "day_end": "17:00",
        "holiday_country": "de",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_a_supervisor_sets_a_team_business_hours(client, sam):
    response = client.post(f"{TEAMS}add/", _team())
    assert response.status_code == 302
    team = Team.objects.get(name="DACH")
    assert (team.time_zone, team.working_days, team.holiday_country) == (
        "Europe/Berlin",
        [0, 1, 2, 3, 4],
        "DE",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"day_end": "08:00"}, "The day must end after it starts."),
        ({"time_zone": "Mars/Olympus"}, "is not a time zone"),
        ({"holiday_country": "XX"}, "No public holidays are known for XX"),
        ({"working_days": []}, "This field is required."),
    ],
)
def test_bad_business_hours_are_form_errors(client, sam, overrides, message):
    response = client.post(f"{TEAMS}add/", _team(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Team.objects.exists()


@pytest.mark.django_db
def test_a_supervisor_adds_a_routing_rule(client, sam):
    team = Team.objects.create(name="France")
    data = {"position": "1", "active": "on", "kind": "", "language": "fr", "country": "fr"}
    assert client.post(f"{RULES}add/", {**data, "team": team.pk}).status_code == 302
    assert RoutingRule.objects.get().country == "FR"


@pytest.mark.django_db
def test_switching_a_policy_off_is_an_action_that_stops_its_clocks(client, sam):
    policy = SLAPolicy.objects.get(kind="defect", priority="normal")
    case = CaseFactory(status=Case.Status.OPEN, sla_due="2026-07-15T10:00Z")
    response = client.post(
        POLICIES, {"action": "switch_off", "_selected_action": [policy.pk]}, follow=True
    )
    assert "SLA clocks stopped on 1 open case" in response.content.decode()
    policy.refresh_from_db()
    case.refresh_from_db()
    assert (policy.active, case.sla_due) == (False, None)
    client.post(POLICIES, {"action": "switch_on", "_selected_action": [policy.pk]})
    policy.refresh_from_db()
    assert policy.active


@pytest.mark.django_db
def test_the_active_flag_is_not_edited_on_the_form(client, sam):
    policy = SLAPolicy.objects.get(kind="defect", priority="normal")
    page = client.get(f"{POLICIES}{policy.pk}/change/").content.decode()
    assert 'name="active"' not in page
    assert 'name="next_response_minutes"' in page
