"""System moves: a task or a tracking event moves a case without a version, as the system."""

import pytest

from tests.tickets.factories import CaseFactory
from tickets.errors import InvalidTransition
from tickets.models import Case, Notification
from tickets.services import timeline
from tickets.services.cases import case_transition, case_transition_by_system

pytestmark = pytest.mark.django_db
S = Case.Status


def test_the_system_moves_a_case_and_the_timeline_says_it_was_the_system():
    # given an open case
    case = CaseFactory(status=S.OPEN)
    # when a tracking event puts it on the carrier
    moved = case_transition_by_system(case=case, to=S.WAITING_ON_CARRIER, reason="parcel_stuck")
    # then it moved, its version too, and the event has no actor and says "system"
    case.refresh_from_db()
    assert case.status == moved.status == S.WAITING_ON_CARRIER
    assert case.version == 2
    event = case.events.get()
    assert (event.verb, event.actor) == ("status_changed", None)
    assert event.data == {
        "previous": "open",
        "status": "waiting_on_carrier",
        "reason": "parcel_stuck",
        "by": "system",
    }
    assert timeline.by_system(event)


def test_a_copy_read_before_someone_elses_change_still_moves():
    # given a task holding a copy read before an agent changed the case
    case = CaseFactory(status=S.OPEN)
    Case.objects.filter(pk=case.pk).update(version=7)
    # when the system moves it, then no version is asked: it acts on the case as it is now
    moved = case_transition_by_system(case=case, to=S.WAITING_ON_RETURN, reason="label_issued")
    assert (moved.status, moved.version) == (S.WAITING_ON_RETURN, 8)


def test_a_move_the_table_forbids_is_refused_and_changes_nothing():
    case = CaseFactory(status=S.NEW)
    with pytest.raises(InvalidTransition):
        case_transition_by_system(case=case, to=S.CLOSED, reason="parcel_delivered")
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == (S.NEW, 1, 0)


def test_a_repeated_event_moves_nothing_twice():
    # given a case the system already put on the carrier
    case = CaseFactory(status=S.OPEN)
    case_transition_by_system(case=case, to=S.WAITING_ON_CARRIER, reason="parcel_stuck")
    # when the same tracking event comes again
    again = case_transition_by_system(case=case, to=S.WAITING_ON_CARRIER, reason="parcel_stuck")
    # then nothing more is written
    assert (again.status, again.version) == (S.WAITING_ON_CARRIER, 2)
    assert case.events.count() == 1


def test_the_customer_hears_about_a_system_move_as_about_an_agents(
    django_capture_on_commit_callbacks,
):
    case = CaseFactory(status=S.OPEN)
    with django_capture_on_commit_callbacks():
        case_transition_by_system(case=case, to=S.WAITING_ON_CARRIER, reason="parcel_stuck")
    notification = Notification.objects.get(case=case, channel=Notification.Channel.EMAIL)
    assert notification.template == "case_status_changed"


def test_a_person_is_never_recorded_as_the_system(agent_user):
    case = case_transition(case=CaseFactory(status=S.OPEN), to=S.RESOLVED, actor=agent_user)
    event = case.events.get()
    assert "by" not in event.data
    assert not timeline.by_system(event)
