"""macro_apply: a macro's actions go through the case services; refusals are reported."""

import pytest

from tests.tickets.agent.conftest import make_macro, tag
from tests.tickets.factories import CaseFactory
from tickets.models import Case
from tickets.services.macros import macro_apply

pytestmark = pytest.mark.django_db


def test_priority_tag_and_status_are_applied_with_events(agent_user):
    # given an open case and a macro with all three actions
    case = CaseFactory(status=Case.Status.OPEN)
    macro = make_macro(
        set_status=Case.Status.WAITING_ON_CUSTOMER,
        set_priority=Case.Priority.HIGH,
        add_tag=tag("photo-asked"),
    )
    # when
    outcome = macro_apply(case=case, macro=macro, actor=agent_user)
    # then
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING_ON_CUSTOMER
    assert case.priority == Case.Priority.HIGH
    assert list(case.tags.values_list("name", flat=True)) == ["photo-asked"]
    assert outcome.refused == []
    assert len(outcome.done) == 3
    verbs = list(case.events.values_list("verb", flat=True))
    assert verbs == ["priority_changed", "tags_changed", "status_changed"]
    assert all(case.events.values_list("actor", flat=True))


def test_a_tag_is_added_to_the_tags_the_case_has(agent_user):
    case = CaseFactory(status=Case.Status.OPEN)
    case.tags.add(tag("vip"))
    macro_apply(case=case, macro=make_macro(add_tag=tag("photo-asked")), actor=agent_user)
    assert sorted(case.tags.values_list("name", flat=True)) == ["photo-asked", "vip"]


def test_a_move_the_state_machine_refuses_is_reported_and_the_rest_kept(agent_user):
    # given a new case (new → waiting on customer is not a move the machine allows)
    case = CaseFactory(status=Case.Status.NEW)
    macro = make_macro(
        set_status=Case.Status.WAITING_ON_CUSTOMER, set_priority=Case.Priority.URGENT
    )
    # when
    outcome = macro_apply(case=case, macro=macro, actor=agent_user)
    # then the priority changed, the status did not, and the refusal says why
    case.refresh_from_db()
    assert case.priority == Case.Priority.URGENT
    assert case.status == Case.Status.NEW
    assert len(outcome.refused) == 1
    assert "cannot move" in outcome.refused[0]


def test_a_status_the_case_has_already_is_no_move(agent_user):
    case = CaseFactory(status=Case.Status.OPEN)
    outcome = macro_apply(
        case=case, macro=make_macro(set_status=Case.Status.OPEN), actor=agent_user
    )
    assert outcome.refused == []
    assert not case.events.exists()


def test_a_macro_without_actions_changes_nothing(agent_user):
    case = CaseFactory(status=Case.Status.OPEN)
    outcome = macro_apply(case=case, macro=make_macro(), actor=agent_user)
    assert (outcome.done, outcome.refused) == ([], [])
    assert not case.events.exists()
