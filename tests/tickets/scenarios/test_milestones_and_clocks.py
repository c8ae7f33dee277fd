"""Milestones and SLA clocks are read from the case's timeline by the kind's scenario."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.tickets.factories import CustomerFactory
from tickets.models import Case
from tickets.scenarios import case_clocks, case_milestones, scenario_get, scenario_override
from tickets.services import timeline
from tickets.services.cases import case_create, case_transition

from .conftest import KIND, ScenarioVerb

pytestmark = pytest.mark.django_db
S = Case.Status


@pytest.fixture
def wrong_item_case(scenario, agent_user):
    case = case_create(
        customer=CustomerFactory(), kind=KIND, subject="Blue, not red", channel="portal"
    )
    return case_transition(case=case, to=S.OPEN, actor=agent_user)


def _reship(case):
    timeline.record(case=case, verb=ScenarioVerb.RESHIPPED, actor=None, data={"carrier": "DHL"})


def test_the_customer_sees_the_milestones_reached_in_order(wrong_item_case):
    # given the right item sent after the case opened
    _reship(wrong_item_case)
    # then the status history names the steps for the customer, and only those
    milestones = case_milestones(case=wrong_item_case)
    assert [m.label for m in milestones] == [
        "We received your report",
        "The right item is on its way",
    ]
    assert [m.verb for m in milestones] == ["created", "testscenario.reshipped"]
    assert milestones[0].at <= milestones[1].at


def test_a_milestone_reached_twice_in_a_row_is_told_once(wrong_item_case):
    _reship(wrong_item_case)
    _reship(wrong_item_case)
    milestones = case_milestones(case=wrong_item_case)
    assert [m.label for m in milestones] == [
        "We received your report",
        "The right item is on its way",
    ]
    # the first time it was reached
    assert (
        milestones[1].at
        == wrong_item_case.events.filter(verb=ScenarioVerb.RESHIPPED).first().created_at
    )


def test_a_milestone_on_a_status_matches_that_status_only(wrong_item_case, agent_user):
    wrong_item_case.tags.create(name="root-cause")
    case_transition(case=wrong_item_case, to=S.RESOLVED, actor=agent_user)
    assert [m.label for m in case_milestones(case=wrong_item_case)][-1] == "Solved"
    # the move to open earlier was a status change too, but no milestone
    assert len(case_milestones(case=wrong_item_case)) == 2


def test_the_milestones_cost_one_query(wrong_item_case, django_assert_num_queries):
    with django_assert_num_queries(1):
        case_milestones(case=wrong_item_case)


def test_a_clock_runs_from_its_start_and_is_due_after_its_duration(wrong_item_case):
    # given a case opened now, then its reship clock runs, due a day after opening
    (clock,) = case_clocks(case=wrong_item_case)
    created = wrong_item_case.created_at
    assert clock.clock.name == "reship"
    assert clock.started_at is not None and clock.stopped_at is None
    assert clock.due_at == clock.started_at + timedelta(days=1)
    assert abs(clock.started_at - created) < timedelta(seconds=1)
    assert not clock.breached


def test_a_running_clock_past_due_is_breached(wrong_item_case, time_machine):
    # when a day and an hour pass without the item reshipped
    time_machine.move_to(timezone.now() + timedelta(days=1, hours=1))
    (clock,) = case_clocks(case=wrong_item_case)
    # then the clock is breached, and still running
    assert clock.breached and clock.stopped_at is None


def test_a_clock_stopped_in_time_is_met_whenever_it_is_read(wrong_item_case):
    # given the item reshipped at once
    _reship(wrong_item_case)
    # when the clock is read a week later
    (clock,) = case_clocks(case=wrong_item_case, now=timezone.now() + timedelta(days=7))
    # then it stopped in time
    assert clock.stopped_at is not None and not clock.breached


def test_a_clock_stopped_late_stays_breached(wrong_item_case, time_machine):
    time_machine.move_to(timezone.now() + timedelta(days=2))
    _reship(wrong_item_case)
    (clock,) = case_clocks(case=wrong_item_case)
    assert clock.stopped_at is not None and clock.breached


def test_a_kind_without_clocks_has_none_and_shows_the_general_milestones(case):
    # a kind whose scenario has no clocks or milestones (the wrong-item kind's, without them)
    case.kind = Case.Kind.WRONG_ITEM
    case.save(update_fields=["kind"])
    owner = scenario_get(Case.Kind.WRONG_ITEM)
    bare = dataclasses.replace(owner, milestones=(), clocks=())
    with scenario_override(bare):
        assert case_clocks(case=case) == []
        # so the customer sees the general kind's, which follow the status: it was opened
        timeline.case_created_event(case=case, actor=None)
        labels = [str(m.label) for m in case_milestones(case=case)]
    assert labels == ["We received your request"]
