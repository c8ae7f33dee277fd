import pytest

from tickets.errors import StaleVersion
from tickets.models import Case, Team
from tickets.services.cases import case_set_priority, case_set_team


@pytest.mark.django_db
def test_routing_to_a_team_records_it_and_moves_the_version(case, supervisor_user):
    # when a supervisor routes the case to a team
    dach = Team.objects.create(name="DACH")
    routed = case_set_team(case=case, team=dach, actor=supervisor_user)
    # then the row, the version and the timeline show it
    case.refresh_from_db()
    assert (case.team, case.version, routed.version) == (dach, 2, 2)
    event = case.events.get()
    assert (event.verb, event.actor, event.data) == (
        "team_changed",
        supervisor_user,
        {"previous": None, "team": dach.pk},
    )


@pytest.mark.django_db
def test_the_same_team_again_changes_nothing(case):
    case = case_set_team(case=case, team=None, actor=None)
    assert case.version == 1
    assert not case.events.exists()


@pytest.mark.django_db
def test_a_stale_case_is_refused_and_keeps_its_team(case):
    # given a copy read before someone else changed the priority
    stale = Case.objects.get(pk=case.pk)
    case_set_priority(case=case, priority="high", actor=None)
    # when the stale copy is routed, then it is refused and nothing is written
    with pytest.raises(StaleVersion):
        case_set_team(case=stale, team=Team.objects.create(name="China"), actor=None)
    case.refresh_from_db()
    assert (case.team, case.version) == (None, 2)
