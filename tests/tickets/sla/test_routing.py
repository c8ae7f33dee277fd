"""Routing: a team by the first matching rule, then round-robin among available agents."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CustomerFactory, UserFactory, agent
from tickets.agent.workspace_timeline import actor_name
from tickets.models import AgentProfile, Case, RoutingRule, Team
from tickets.services.cases import case_assign, case_create, case_set_priority
from tickets.services.routing import agent_set_away, routing_team_for


def _open(customer=None, **kwargs):
    kwargs.setdefault("kind", Case.Kind.GENERAL)
    kwargs.setdefault("channel", "portal")
    return case_create(customer=customer or CustomerFactory(), subject="Help", **kwargs)


@pytest.fixture
def teams(db):
    dach = Team.objects.create(name="DACH")
    france = Team.objects.create(name="France")
    parcels = Team.objects.create(name="Parcels")
    RoutingRule.objects.create(position=1, kind=Case.Kind.SHIPMENT_ISSUE, team=parcels)
    RoutingRule.objects.create(position=2, language="fr", team=france)
    RoutingRule.objects.create(position=3, country="DE", team=dach)
    RoutingRule.objects.create(position=4, country="AT", team=dach)
    return dach, france, parcels


@pytest.mark.django_db
def test_the_first_matching_rule_by_position_wins(teams):
    dach, france, parcels = teams
    assert routing_team_for(kind="shipment_issue", language="fr", country="FR") == parcels
    assert routing_team_for(kind="general", language="fr", country="DE") == france
    assert routing_team_for(kind="general", language="de", country="AT") == dach
    assert routing_team_for(kind="general", language="en", country="US") is None


@pytest.mark.django_db
def test_inactive_rules_are_skipped(teams):
    RoutingRule.objects.filter(position=2).update(active=False)
    assert routing_team_for(kind="general", language="fr", country="DE") == teams[0]


@pytest.mark.django_db
def test_a_new_case_gets_the_team_and_the_event(teams):
    case = _open(CustomerFactory(country="DE", language="de"))
    assert case.team == teams[0]
    assert list(case.events.values_list("verb", flat=True).order_by("pk")) == [
        "created",
        "team_changed",
    ]


@pytest.mark.django_db
def test_a_team_given_by_the_caller_is_kept_and_not_round_robined(teams):
    other = Team.objects.create(name="VIP")
    other.members.add(agent(username="vera"))
    case = _open(CustomerFactory(country="DE"), team=other)
    assert (case.team, case.assignee) == (other, None)


@pytest.mark.django_db
def test_round_robin_goes_to_who_waited_longest_and_skips_the_away(teams, time_machine):
    dach = teams[0]
    anna, ben, cleo = agent(username="anna"), agent(username="ben"), agent(username="cleo")
    outsider = UserFactory(username="no-perms")  # a member who may not work cases
    dach.members.add(anna, ben, cleo, outsider)
    agent_set_away(user=cleo, away=True)
    given = []
    for minute in range(4):
        time_machine.move_to(dt.datetime(2026, 7, 15, 8, minute, tzinfo=dt.UTC), tick=False)
        given.append(_open(CustomerFactory(country="DE")).assignee.username)
    # never-routed first (by profile id), then whoever waited longest; cleo is away
    assert given == ["anna", "ben", "anna", "ben"]
    # cleo comes back and, having waited longest, gets the next one
    agent_set_away(user=cleo, away=False)
    assert _open(CustomerFactory(country="DE")).assignee == cleo


@pytest.mark.django_db
def test_inactive_accounts_are_not_given_cases(teams):
    dach = teams[0]
    gone = agent(username="gone", is_active=False)
    dach.members.add(gone)
    case = _open(CustomerFactory(country="DE"))
    assert case.team == dach
    assert case.assignee is None


@pytest.mark.django_db
def test_a_routed_assignment_is_on_the_timeline(teams):
    dach = teams[0]
    dach.members.add(agent(username="anna"))
    case = _open(CustomerFactory(country="DE"))
    event = case.events.get(verb="assigned")
    assert (event.actor, event.data["assignee"]) == (None, case.assignee_id)


@pytest.mark.django_db
def test_the_away_switch_stamps_and_clears_away_since(agent_user):
    profile = agent_set_away(user=agent_user, away=True)
    assert profile.away and profile.away_since is not None
    profile = agent_set_away(user=agent_user, away=False)
    assert (profile.away, profile.away_since) == (False, None)
    assert AgentProfile.objects.count() == 1


@pytest.mark.django_db
def test_routing_costs_the_same_queries_for_2_and_20_members(teams):
    dach = teams[0]
    dach.members.add(*(agent(username=f"a{n}") for n in range(2)))
    _open(CustomerFactory(country="DE"))  # profiles are made on demand, once
    customer = CustomerFactory(country="DE")
    with CaptureQueriesContext(connection) as few:
        _open(customer)
    dach.members.add(*(agent(username=f"b{n}") for n in range(18)))
    _open(CustomerFactory(country="DE"))
    customer = CustomerFactory(country="DE")
    with CaptureQueriesContext(connection) as many:
        _open(customer)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_timeline_names_the_system_for_routing_not_the_customer(teams):
    dach = teams[0]
    dach.members.add(agent(username="anna"))
    # a customer opens a case in the portal; a system task opens another
    by_customer = _open(CustomerFactory(country="DE", language="de"))
    by_system = _open(CustomerFactory(country="DE", language="de"), channel="system")
    # the customer opened theirs; the routing that followed was the system's
    assert _who(by_customer) == [
        ("created", "Customer"),
        ("team_changed", "System"),
        ("assigned", "System"),
    ]
    assert _who(by_system) == [
        ("created", "System"),
        ("team_changed", "System"),
        ("assigned", "System"),
    ]
    # and an agent's own moves keep the agent's name
    ben = agent(username="ben", first_name="Ben", last_name="Brand")
    by_customer = case_set_priority(case=by_customer, priority=Case.Priority.HIGH, actor=None)
    case_assign(case=by_customer, assignee=ben, actor=ben)
    assert _who(by_customer)[-2:] == [("priority_changed", "System"), ("assigned", "Ben Brand")]


def _who(case):
    return [(event.verb, actor_name(event)) for event in case.events.order_by("pk")]
