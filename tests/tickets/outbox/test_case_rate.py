"""case_rate: the customer's satisfaction score, stored beside the case without editing it;
case_rate_by_link: the same from a rating link, while the link and its resolution stand."""

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone

from tests.tickets.factories import CaseFactory
from tickets.models import Case, CaseEvent
from tickets.services.cases import case_transition
from tickets.services.ratings import (
    InvalidRating,
    RatingLinkExpired,
    RatingLinkInvalid,
    RatingLinkVoid,
    case_rate,
    case_rate_by_link,
    rating_link_case,
    rating_links,
)

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


# --- case_rate_by_link: the link's case, while its resolution stands ----------------------------


@pytest.fixture
def resolved(agent_user):
    case = CaseFactory(status=Case.Status.OPEN)
    return case_transition(case=case, to=Case.Status.RESOLVED, actor=agent_user)


def _token(case) -> str:
    return rating_links(case)[0][1].split("/")[-3]


def test_a_current_link_rates(resolved):
    rated = case_rate_by_link(token=_token(resolved), score=5)
    assert rated.satisfaction == 5
    assert _rated_events(resolved) == [{"score": 5, "previous": None}]


@pytest.mark.parametrize(
    ("days", "expired"), [(29, False), (30, False), (31, True)], ids=["29", "30", "31"]
)
def test_links_expire_after_rating_link_max_age_days(resolved, time_machine, days, expired):
    # given a link, `days` days later (less a second: the limit itself still counts)
    token = _token(resolved)
    time_machine.move_to(timezone.now() + timedelta(days=days, seconds=-1))
    # then it rates until the 30th day is over
    if expired:
        with pytest.raises(RatingLinkExpired) as error:
            case_rate_by_link(token=token, score=3)
        assert (error.value.code, error.value.case) == ("rating_link_expired", resolved)
        assert _rated_events(resolved) == []
    else:
        assert case_rate_by_link(token=token, score=3).satisfaction == 3


def test_the_age_limit_is_a_setting(resolved, time_machine, settings):
    settings.RATING_LINK_MAX_AGE_DAYS = 2
    token = _token(resolved)
    time_machine.move_to(timezone.now() + timedelta(days=2, minutes=1))
    with pytest.raises(RatingLinkExpired):
        rating_link_case(token=token)


@pytest.mark.parametrize(
    ("to", "reason"), [(Case.Status.OPEN, "reopened"), (Case.Status.CLOSED, "closed")]
)
def test_a_link_is_void_once_the_case_moved_on(resolved, agent_user, to, reason):
    token = _token(resolved)
    case_transition(case=resolved, to=to, actor=agent_user)
    with pytest.raises(RatingLinkVoid) as error:
        case_rate_by_link(token=token, score=4)
    assert (error.value.code, error.value.reason) == ("rating_link_void", reason)
    resolved.refresh_from_db()
    assert resolved.satisfaction is None


def test_a_link_of_an_earlier_resolution_is_void(resolved, agent_user):
    token = _token(resolved)
    case = case_transition(case=resolved, to=Case.Status.OPEN, actor=None)
    case = case_transition(case=case, to=Case.Status.RESOLVED, actor=agent_user)
    with pytest.raises(RatingLinkVoid):
        rating_link_case(token=token)
    assert rating_link_case(token=_token(case)) == case


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        signing.dumps("AS-QWER-TYUP.1", salt="magic-link"),
        signing.dumps("AS-XXXX-XXXX.1", salt="case-rating"),
        signing.dumps(["AS-QWER-TYUP", 1], salt="case-rating"),
    ],
    ids=["empty", "garbage", "other-salt", "no-such-case", "not-our-payload"],
)
def test_a_forged_link_names_no_case(resolved, token):
    with pytest.raises(RatingLinkInvalid) as error:
        case_rate_by_link(token=token, score=5)
    assert error.value.code == "rating_link_invalid"
    assert _rated_events(resolved) == []


def test_a_link_with_a_bad_score_rates_nothing(resolved):
    with pytest.raises(InvalidRating):
        case_rate_by_link(token=_token(resolved), score=6)
    assert _rated_events(resolved) == []
