"""Breach alerts: supervisors hear once per breach, and only in the team's working hours."""

import datetime as dt

import pytest
from django.core import mail

from tests.tickets.factories import CaseFactory, agent, supervisor
from tickets.models import Case, SLABreachAlert
from tickets.services.sla_alerts import sla_breaches_alert, sla_breaches_find

UTC = dt.UTC
# Saturday 18 July 2026, 12:00 in Berlin.
SATURDAY_NOON = dt.datetime(2026, 7, 18, 10, 0, tzinfo=UTC)
MONDAY_0905 = dt.datetime(2026, 7, 20, 7, 5, tzinfo=UTC)


def _breached(team=None, due=SATURDAY_NOON - dt.timedelta(minutes=30), **fields):
    fields.setdefault("status", Case.Status.OPEN)
    fields.setdefault("sla_due", due)
    return CaseFactory(team=team, first_response_due=due, **fields)


@pytest.fixture
def supervisors(db):
    return [supervisor(username="sue"), supervisor(username="sam")]


@pytest.mark.django_db
def test_a_breach_is_alerted_once(supervisors):
    case = _breached()
    # when the task runs three times
    for _ in range(3):
        sla_breaches_alert(now=SATURDAY_NOON)
    # then there is one alert and one mail to the supervisors
    alert = SLABreachAlert.objects.get()
    assert (alert.case, alert.target, alert.sent_at) == (case, "first_response", SATURDAY_NOON)
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["sam@shop.example", "sue@shop.example"]
    assert case.number in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_weekend_breach_waits_for_monday_morning(supervisors, berlin_team):
    _breached(team=berlin_team)
    # on Saturday the breach is recorded but nobody is mailed
    sla_breaches_alert(now=SATURDAY_NOON)
    assert SLABreachAlert.objects.get().sent_at is None
    assert mail.outbox == []
    # Monday 8:00 Berlin is still before the day starts
    sla_breaches_alert(now=MONDAY_0905 - dt.timedelta(hours=1, minutes=5))
    assert mail.outbox == []
    # Monday 9:05 Berlin it goes out, once
    sla_breaches_alert(now=MONDAY_0905)
    sla_breaches_alert(now=MONDAY_0905 + dt.timedelta(minutes=5))
    assert len(mail.outbox) == 1
    assert SLABreachAlert.objects.get().sent_at == MONDAY_0905


@pytest.mark.django_db
def test_the_team_supervisors_are_told_when_the_team_has_some(supervisors, berlin_team):
    berlin_team.members.add(supervisors[0], agent())
    _breached(team=berlin_team, due=MONDAY_0905 - dt.timedelta(minutes=1))
    sla_breaches_alert(now=MONDAY_0905)
    assert mail.outbox[0].to == ["sue@shop.example"]


@pytest.mark.django_db
def test_a_new_breach_of_the_same_case_is_a_new_alert(supervisors):
    case = _breached()
    sla_breaches_alert(now=SATURDAY_NOON)
    # when, after the first response, the update target is breached too
    Case.objects.filter(pk=case.pk).update(
        first_responded_at=SATURDAY_NOON,
        next_response_due=SATURDAY_NOON + dt.timedelta(minutes=30),
        sla_due=SATURDAY_NOON + dt.timedelta(minutes=30),
    )
    sla_breaches_alert(now=SATURDAY_NOON + dt.timedelta(hours=1))
    assert sorted(SLABreachAlert.objects.values_list("target", flat=True)) == [
        "first_response",
        "next_response",
    ]
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_paused_resolved_and_not_yet_due_cases_are_not_alerted(supervisors):
    _breached(sla_paused_at=SATURDAY_NOON, sla_due=None)
    _breached(status=Case.Status.RESOLVED)
    _breached(due=SATURDAY_NOON + dt.timedelta(minutes=1))
    sla_breaches_alert(now=SATURDAY_NOON)
    assert not SLABreachAlert.objects.exists()


@pytest.mark.django_db
def test_the_scan_pages_through_the_index_in_batches(supervisors, django_assert_num_queries):
    for minutes in range(1, 8):
        _breached(due=SATURDAY_NOON - dt.timedelta(minutes=minutes))
    # 7 cases in batches of 3: 3 reads with an insert each, and a last empty read
    with django_assert_num_queries(3 * 2 + 1):
        assert sla_breaches_find(now=SATURDAY_NOON, batch_size=3) == 7
    assert SLABreachAlert.objects.count() == 7


@pytest.mark.django_db
def test_beat_runs_the_thin_task(settings, supervisors):
    from tickets import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["sla-breaches-alert"]
    assert entry["task"] == tasks.sla_breaches_alert.name
    assert tasks.sla_breaches_alert.run() == 0
