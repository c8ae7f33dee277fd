import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tickets.factories import CaseFactory
from tickets import tasks
from tickets.errors import InvalidTransition
from tickets.models import Case, CaseEvent
from tickets.scenarios import Scenario, scenario_override
from tickets.services.cases import cases_autoclose

S = Case.Status


@pytest.fixture
def autoclose_days(settings):
    settings.CASE_AUTOCLOSE_DAYS = 7
    return settings.CASE_AUTOCLOSE_DAYS


def _resolved(days_ago: float, *, status=S.RESOLVED) -> Case:
    """A case resolved `days_ago` days ago and untouched since."""
    when = timezone.now() - timedelta(days=days_ago)
    case = CaseFactory(status=status)
    Case.objects.filter(pk=case.pk).update(resolved_at=when, updated_at=when)
    case.refresh_from_db()
    return case


@pytest.mark.django_db
def test_a_resolved_case_quiet_for_longer_than_the_period_is_closed(autoclose_days):
    # given a case resolved eight days ago
    case = _resolved(8)
    # when the auto-close runs
    closed = cases_autoclose()
    # then it is closed now, its version moved on, and the system recorded why
    case.refresh_from_db()
    assert closed == 1
    assert case.status == S.CLOSED
    assert case.closed_at is not None
    assert timezone.now() - case.closed_at < timedelta(minutes=1)
    assert case.version == 2
    event = case.events.get()
    assert (event.verb, event.actor, event.data) == (
        "status_changed",
        None,
        {"previous": S.RESOLVED, "status": S.CLOSED, "reason": "autoclose", "by": "system"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days_ago", "status"),
    [
        (6, S.RESOLVED),  # resolved recently
        (30, S.OPEN),  # quiet, but not resolved
        (30, S.WAITING_ON_CUSTOMER),
    ],
)
def test_recently_resolved_or_unresolved_cases_stay(days_ago, status, autoclose_days):
    case = _resolved(days_ago, status=status)
    assert cases_autoclose() == 0
    case.refresh_from_db()
    assert (case.status, case.closed_at, case.version) == (status, None, 1)
    assert case.events.count() == 0


@pytest.mark.django_db
def test_recent_activity_on_a_long_resolved_case_keeps_it_open(autoclose_days):
    # given a case resolved long ago but touched yesterday
    case = _resolved(20)
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now() - timedelta(days=1))
    # then it is not quiet, and stays
    assert cases_autoclose() == 0
    case.refresh_from_db()
    assert case.status == S.RESOLVED


@pytest.mark.django_db
def test_the_period_comes_from_settings(settings):
    settings.CASE_AUTOCLOSE_DAYS = 30
    case = _resolved(8)
    assert cases_autoclose() == 0
    case.refresh_from_db()
    assert case.status == S.RESOLVED


@pytest.mark.django_db
def test_a_batch_smaller_than_the_backlog_still_closes_every_case(autoclose_days):
    # given seven quiet resolved cases
    cases = [_resolved(10) for _ in range(7)]
    # when the auto-close runs in batches of three
    closed = cases_autoclose(batch_size=3)
    # then all seven are closed, each with one event
    assert closed == 7
    assert set(Case.objects.values_list("status", flat=True)) == {S.CLOSED}
    assert sorted(CaseEvent.objects.values_list("case_id", flat=True)) == sorted(
        c.pk for c in cases
    )


@pytest.mark.django_db
def test_running_twice_closes_nothing_more(autoclose_days):
    # given two quiet resolved cases closed by a first run
    for _ in range(2):
        _resolved(10)
    assert cases_autoclose() == 2
    # when it runs again
    closed_again = cases_autoclose()
    # then nothing changes
    assert closed_again == 0
    assert CaseEvent.objects.count() == 2
    assert set(Case.objects.values_list("version", flat=True)) == {2}


@pytest.mark.django_db
def test_the_celery_task_runs_the_service_and_returns_the_count(autoclose_days):
    # given three quiet resolved cases and tasks running eagerly (test settings)
    for _ in range(3):
        _resolved(10)
    # when the periodic task runs
    result = tasks.cases_autoclose.delay()
    # then it closed them and reported a JSON-safe count
    assert result.get() == 3
    assert json.loads(json.dumps(result.get())) == 3
    assert Case.objects.filter(status=S.CLOSED).count() == 3


def _queries_to_close(n: int) -> int:
    for _ in range(n):
        _resolved(10)
    with CaptureQueriesContext(connection) as queries:
        assert cases_autoclose() == n
    return len(queries)


@pytest.mark.django_db
def test_the_query_count_of_a_batch_does_not_grow_with_the_cases(autoclose_days):
    # given 3 and then 30 quiet resolved cases, both fitting one batch
    few = _queries_to_close(3)
    many = _queries_to_close(30)
    # then closing 30 costs as many queries as closing 3: set-based, not a loop over rows
    assert many == few
    assert few <= 12


# --- the same table and guards as every other move -------------------------------------------


def _kept_open(case: Case, to: str) -> str | None:
    if to == S.CLOSED and case.subject == "keep":
        return "A reshipment is still on its way."
    return None


@pytest.fixture
def guarded_kind():
    """The wrong-item kind, with a guard that keeps cases whose subject is "keep" from closing."""
    with scenario_override(
        Scenario(kind=Case.Kind.WRONG_ITEM, label="Wrong item", guards=(_kept_open,))
    ):
        yield Case.Kind.WRONG_ITEM


@pytest.mark.django_db
def test_a_case_a_guard_keeps_stays_resolved_and_the_others_close(autoclose_days, guarded_kind):
    # given quiet resolved cases: two the guard keeps, two it lets go, two of an unguarded kind
    kept = [_resolved(10) for _ in range(2)]
    let_go = [_resolved(10) for _ in range(2)]
    unguarded = [_resolved(10) for _ in range(2)]
    Case.objects.filter(pk__in=[c.pk for c in kept + let_go]).update(kind=guarded_kind)
    Case.objects.filter(pk__in=[c.pk for c in kept]).update(subject="keep")
    # when the auto-close runs in batches smaller than the backlog
    closed = cases_autoclose(batch_size=2)
    # then every case but the kept ones is closed, and the kept ones are untouched
    assert closed == 4
    statuses = dict(Case.objects.values_list("pk", "status"))
    assert {statuses[c.pk] for c in let_go + unguarded} == {S.CLOSED}
    assert {statuses[c.pk] for c in kept} == {S.RESOLVED}
    assert not CaseEvent.objects.filter(case__in=kept).exists()
    # and a second run asks the guard again, and still keeps them
    assert cases_autoclose(batch_size=2) == 0


@pytest.mark.django_db
def test_without_the_move_in_the_table_nothing_closes(autoclose_days, monkeypatch):
    # given a transition table from which resolved → closed was taken out
    case = _resolved(10)
    monkeypatch.setitem(Case.TRANSITIONS, S.RESOLVED, frozenset({S.OPEN}))
    # when the auto-close runs, then it refuses, and the case stays resolved
    with pytest.raises(InvalidTransition):
        cases_autoclose()
    case.refresh_from_db()
    assert case.status == S.RESOLVED
