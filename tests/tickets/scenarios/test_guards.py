"""Guards: the one state machine asks the kind's scenario before every move."""

import pytest

from tests.tickets.factories import CaseFactory
from tickets.errors import InvalidTransition, TransitionRefused
from tickets.models import Case, Tag
from tickets.scenarios import transition_refusal
from tickets.services.cases import case_transition, case_transition_by_system

from .conftest import KIND, ROOT_CAUSE_MISSING

pytestmark = pytest.mark.django_db
S = Case.Status


@pytest.fixture
def open_case(scenario):
    return CaseFactory(kind=KIND, status=S.OPEN)


def test_a_guard_refuses_a_move_with_its_reason_and_nothing_changes(open_case, agent_user):
    # given an open case whose scenario wants a root cause before resolving
    # when an agent resolves it without one
    with pytest.raises(TransitionRefused) as refused:
        case_transition(case=open_case, to=S.RESOLVED, actor=agent_user)
    # then the move is refused with the guard's reason, and nothing was written
    assert refused.value.code == "transition_refused"
    assert str(refused.value) == ROOT_CAUSE_MISSING
    open_case.refresh_from_db()
    assert (open_case.status, open_case.version, open_case.events.count()) == (S.OPEN, 1, 0)


def test_the_move_is_made_once_the_guard_is_satisfied(open_case, agent_user):
    # given the root cause recorded
    open_case.tags.add(Tag.objects.create(name="root-cause"))
    # when the agent resolves it, then it moves
    moved = case_transition(case=open_case, to=S.RESOLVED, actor=agent_user)
    assert moved.status == S.RESOLVED
    assert transition_refusal(case=moved, to=S.OPEN) is None


def test_moves_the_guard_does_not_cover_are_made(open_case, agent_user):
    moved = case_transition(case=open_case, to=S.WAITING_ON_RETURN, actor=agent_user)
    assert moved.status == S.WAITING_ON_RETURN


def test_a_system_move_is_asked_too(open_case):
    with pytest.raises(TransitionRefused):
        case_transition_by_system(case=open_case, to=S.RESOLVED, reason="reshipped")
    open_case.refresh_from_db()
    assert open_case.status == S.OPEN


def test_the_table_is_asked_before_the_guards(open_case, agent_user):
    # a move the table forbids is an invalid transition, whatever the guards say
    with pytest.raises(InvalidTransition):
        case_transition(case=open_case, to=S.CLOSED, actor=agent_user)
