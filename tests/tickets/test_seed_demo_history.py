"""The demo cases are spread over the past 60 days: reports show trends, and the SLA clocks of
the active cases stand in every state (overdue, due within the hour, time left, paused)."""

import io
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tickets.models import Case, CaseEvent, Message
from tickets.selectors.reports import BUILT_IN, DateRange, report_list
from tickets.services.sla import sla_due_at_open

pytestmark = pytest.mark.django_db
S = Case.Status
PAUSED = (S.WAITING_ON_CUSTOMER, S.WAITING_ON_RETURN, S.WAITING_ON_CARRIER)
SETTLED = (S.RESOLVED, S.CLOSED)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, in a transaction rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
        yield
        transaction.set_rollback(True)


def test_cases_spread_over_the_past_60_days(seeded):
    now = timezone.now()
    created = sorted(Case.objects.values_list("created_at", flat=True))
    assert now - timedelta(days=61) <= created[0] < now - timedelta(days=30)
    assert created[-1] < now
    # more cases lately than long ago: the volume rises
    recent = sum(1 for moment in created if moment > now - timedelta(days=15))
    assert recent > sum(1 for moment in created if moment < now - timedelta(days=45))


def test_every_step_of_a_case_lies_between_its_opening_and_now(seeded):
    now = timezone.now()
    for case in Case.objects.select_related("order"):
        assert case.order.placed_at < case.created_at
        steps = [case.first_responded_at, case.resolved_at, case.closed_at, case.satisfaction_at]
        reached = [step for step in steps if step is not None]
        assert reached == sorted(reached), case.number
        assert all(case.created_at < step < now for step in reached), case.number
        assert case.created_at <= case.updated_at < now
    for model in (Message, CaseEvent):
        for row in model.objects.select_related("case"):
            assert row.case.created_at - timedelta(seconds=1) <= row.created_at < now


def test_due_times_follow_the_policy_from_the_planned_opening(seeded):
    pushed = 0
    for case in Case.objects.all():
        first, resolution = sla_due_at_open(
            kind=case.kind, priority=case.priority, start=case.created_at
        )
        # the same, or later by the time a scenario's case waited (a return on its way back)
        assert case.first_response_due >= first and case.resolution_due >= resolution
        pushed += case.resolution_due > resolution
    assert 0 < pushed < 15


def test_active_cases_are_overdue_at_risk_or_on_time_and_waiting_ones_paused(seeded):
    now = timezone.now()
    running = Case.objects.exclude(status__in=(*PAUSED, *SETTLED))
    dues = list(running.values_list("sla_due", flat=True))
    assert None not in dues
    overdue = [due for due in dues if due < now]
    at_risk = [due for due in dues if now <= due <= now + timedelta(hours=1)]
    assert len(overdue) >= 3 and len(at_risk) >= 3
    assert len(dues) - len(overdue) - len(at_risk) > len(dues) / 2
    for case in running:
        expected = (
            case.first_response_due if case.first_responded_at is None else case.resolution_due
        )
        assert case.sla_due == expected
    paused = Case.objects.filter(status__in=PAUSED)
    assert paused.exists() and not paused.filter(sla_due__isnull=False).exists()
    assert not paused.filter(sla_paused_at__isnull=True).exists()
    assert not Case.objects.filter(status__in=SETTLED, sla_due__isnull=False).exists()


def test_the_reports_have_something_to_show(seeded, supervisor_user):
    today = timezone.localdate()
    period = DateRange(today - timedelta(days=59), today, ZoneInfo("UTC"))
    reports = {
        report.slug: report.table for report in report_list(user=supervisor_user, period=period)
    }
    # the built-in ones; the scenarios' reports show what their own demo data adds
    assert not any(table.is_empty() for slug, table in reports.items() if slug in BUILT_IN)
    assert sum(reports["satisfaction"].notes[1].values) >= 8
    assert isinstance(reports["volume"].rows[0].x, date)
