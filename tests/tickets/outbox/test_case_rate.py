"""case_rate: the customer's satisfaction score, stored beside the case without editing it."""

import pytest

from tests.tickets.factories import CaseFactory
from tickets.models import Case, CaseEvent
from tickets.services.ratings import InvalidRating, case_rate

pytestmark = pytest.mark.django_db


def _rated_events(case):
    return list(CaseEvent.objects.filter(case=case, verb="rated").values_list("data", flat=True))


def test_a_rating_is_stored_with_its_time_and_an_event():
    # given a resolved case nobody rated
    case = CaseFactory(status=Case.Status.RESOLVED)
    before = Case.objects.values("version", "status", "updated_at").get(pk=case.pk)
    # when the customer rates it 4
    rated = case_rate(case=case, score=4)
    # then the score and time are stored and the timeline says so
    case.refresh_from_db()
    assert case.satisfaction == rated.satisfaction == 4
    assert case.satisfaction_at is not None
    assert _rated_events(case) == [{"score": 4, "previous": None}]
    # and the case itself is not edited: same status, version and last change
    assert Case.objects.values("version", "status", "updated_at").get(pk=case.pk) == before


def test_a_later_rating_replaces_the_first():
    case = CaseFactory(status=Case.Status.RESOLVED)
    case_rate(case=case, score=2)
    first_at = Case.objects.get(pk=case.pk).satisfaction_at
    case_rate(case=case, score=5)
    case.refresh_from_db()
    assert case.satisfaction == 5
    assert case.satisfaction_at > first_at
    assert _rated_events(case) == [
        {"score": 2, "previous": None},
        {"score": 5, "previous": 2},
    ]


def test_the_same_rating_again_changes_nothing():
    case = CaseFactory(status=Case.Status.RESOLVED)
    case_rate(case=case, score=3)
    first_at = Case.objects.get(pk=case.pk).satisfaction_at
    rated = case_rate(case=case, score=3)
    assert rated.satisfaction_at == first_at
    assert len(_rated_events(case)) == 1


@pytest.mark.parametrize("score", [0, 6, -1, True, "5", 4.5])
def test_anything_but_1_to_5_is_refused(score):
    case = CaseFactory(status=Case.Status.RESOLVED)
    with pytest.raises(InvalidRating) as error:
        case_rate(case=case, score=score)
    assert error.value.code == "invalid_rating"
    case.refresh_from_db()
    assert case.satisfaction is None
    assert _rated_events(case) == []
