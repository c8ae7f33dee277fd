import pytest

from tests.tickets.factories import CaseFactory
from tickets.errors import InvalidTransition, StaleVersion
from tickets.models import Case
from tickets.services.cases import case_transition

S = Case.Status
# sorted: frozenset order follows the per-process hash seed, and pytest-xdist workers must
# collect the same test ids in the same order.
ALLOWED = [(src, dst) for src, targets in Case.TRANSITIONS.items() for dst in sorted(targets)]
FORBIDDEN = [(src, dst) for src in S.values for dst in S.values if dst not in Case.TRANSITIONS[src]]


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_move_is_made_and_recorded(source, target, agent_user):
    # given a case in `source`
    case = CaseFactory(status=source)
    # when it moves to `target`
    moved = case_transition(case=case, to=target, actor=agent_user, reason="test")
    # then the row, the version and the timeline show it
    case.refresh_from_db()
    assert case.status == moved.status == target
    assert case.version == 2
    event = case.events.get()
    assert (event.verb, event.actor, event.data["previous"], event.data["status"]) == (
        "status_changed",
        agent_user,
        source,
        target,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_every_forbidden_move_is_refused_and_changes_nothing(source, target, agent_user):
    case = CaseFactory(status=source)
    with pytest.raises(InvalidTransition) as excinfo:
        case_transition(case=case, to=target, actor=agent_user)
    assert excinfo.value.code == "invalid_transition"
    assert f"“{S(source).label}”" in str(excinfo.value)
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == (source, 1, 0)


@pytest.mark.django_db
def test_a_stale_copy_is_refused_and_the_first_edit_survives(agent_user):
    # given two agents who loaded the same open case
    case = CaseFactory(status=S.OPEN)
    first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    # when the first resolves it and the second, holding the old version, asks for more info
    case_transition(case=first, to=S.RESOLVED, actor=agent_user)
    with pytest.raises(StaleVersion):
        case_transition(case=second, to=S.WAITING_ON_CUSTOMER, actor=agent_user)
    # then the first agent's change stands
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == (S.RESOLVED, 2, 1)


@pytest.mark.django_db
def test_resolving_stamps_and_reopening_clears_resolved_at(agent_user):
    case = CaseFactory(status=S.OPEN)
    case = case_transition(case=case, to=S.RESOLVED, actor=agent_user)
    assert case.resolved_at is not None
    case = case_transition(case=case, to=S.OPEN, actor=None, reason="customer_replied")
    assert case.resolved_at is None
