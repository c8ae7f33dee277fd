"""The numbers of each report on a small known data set (the same on SQLite and PostgreSQL)."""

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from tests.tickets.agent.conftest import at, make_case
from tests.tickets.factories import UserFactory
from tickets.models import Case
from tickets.selectors.reports import (
    DateRange,
    percentile,
    report_csv_rows,
    report_response_times,
    report_satisfaction,
    report_sla,
    report_sla_weekly,
    report_volume,
)

pytestmark = pytest.mark.django_db
UTC_RANGE = DateRange(date(2026, 3, 5), date(2026, 3, 15), ZoneInfo("UTC"))
KINDS = Case.Kind.values


def by_kind(row) -> dict[str, object]:
    return dict(zip(KINDS, row.values, strict=True))


def rows_of(table) -> dict[object, dict[str, object]]:
    return {row.x: by_kind(row) for row in (*table.rows, *table.notes)}


def test_volume_counts_new_cases_per_day_and_kind_with_empty_days(known_cases, supervisor_user):
    table = report_volume(user=supervisor_user, period=UTC_RANGE)
    rows = rows_of(table)
    assert len(table.rows) == 11  # 5 to 15 March, every day present
    assert rows[date(2026, 3, 10)]["defect"] == 2
    assert rows[date(2026, 3, 11)]["defect"] == 1
    assert rows[date(2026, 3, 12)]["general"] == 2
    assert rows[date(2026, 3, 5)] == dict.fromkeys(KINDS, 0)
    # the case of 1 March is outside the range
    assert rows["total"] == {
        "defect": 3,
        "return": 0,
        "wrong_item": 0,
        "shipment_issue": 0,
        "general": 2,
    }


def test_volume_goes_by_day_in_the_time_zone(frozen, db, supervisor_user):
    # given a case at 23:30 UTC, which is 00:30 the next day in Berlin
    make_case(Case.Kind.DEFECT, at(10, 23, 30))
    berlin = DateRange(date(2026, 3, 10), date(2026, 3, 11), ZoneInfo("Europe/Berlin"))
    utc = DateRange(date(2026, 3, 10), date(2026, 3, 11), ZoneInfo("UTC"))
    # then it counts on the 11th in Berlin and on the 10th in UTC
    assert (
        rows_of(report_volume(user=supervisor_user, period=berlin))[date(2026, 3, 11)]["defect"]
        == 1
    )
    assert (
        rows_of(report_volume(user=supervisor_user, period=utc))[date(2026, 3, 10)]["defect"] == 1
    )


def test_response_times_median_and_90th_percentile_by_kind(known_cases, supervisor_user):
    rows = rows_of(report_response_times(user=supervisor_user, period=UTC_RANGE))
    # defect first responses after 2, 4 and 9 hours; resolutions after 10 and 30 hours
    assert rows["first_response_median"]["defect"] == 4.0
    assert rows["first_response_p90"]["defect"] == 8.0
    assert rows["resolution_median"]["defect"] == 20.0
    assert rows["resolution_p90"]["defect"] == 28.0
    # general: one answered after 1 hour, resolved after 5; no wrong item in the range
    assert rows["first_response_median"]["general"] == 1.0
    assert rows["resolution_p90"]["general"] == 5.0
    assert rows["first_response_median"]["wrong_item"] is None


def test_sla_share_of_decided_targets_met(known_cases, supervisor_user):
    rows = rows_of(report_sla(user=supervisor_user, period=UTC_RANGE))
    # defect: answered in 2 h and 4 h of 4 h (met, met), in 9 h (missed)
    assert rows["first_response"]["defect"] == 66.7
    # defect: resolved in 10 h of 24 (met), 30 h of 24 (missed); one still running (left out)
    assert rows["resolution"]["defect"] == 50.0
    assert rows["resolution_cases"]["defect"] == 2
    # general: one without a due time (left out), one unanswered and past due (missed)
    assert rows["first_response"]["general"] == 0.0
    assert rows["resolution"]["general"] is None


def test_a_target_paused_before_its_due_time_is_not_missed(known_cases, supervisor_user):
    # given a case waiting on the customer since before its resolution was due
    paused = make_case(Case.Kind.GENERAL, at(12, 10), responded=1, res_due=24)
    Case.objects.filter(pk=paused.pk).update(sla_paused_at=at(12, 20))
    rows = rows_of(report_sla(user=supervisor_user, period=UTC_RANGE))
    # then its resolution target is still open: neither met nor missed
    assert rows["resolution"]["general"] is None
    # but paused after the due time, it was missed
    Case.objects.filter(pk=paused.pk).update(sla_paused_at=at(14))
    assert (
        rows_of(report_sla(user=supervisor_user, period=UTC_RANGE))["resolution"]["general"] == 0.0
    )


def test_sla_compliance_by_week_of_all_kinds(known_cases, supervisor_user):
    table = report_sla_weekly(user=supervisor_user, period=UTC_RANGE)
    weeks = {row.x: row.values for row in table.rows}
    # 5 to 15 March: the weeks from Monday 2 and Monday 9 March
    assert list(weeks) == [date(2026, 3, 2), date(2026, 3, 9)]
    assert weeks[date(2026, 3, 2)] == (None, None)
    # first responses: two met, two missed; resolutions: one met, one missed
    assert weeks[date(2026, 3, 9)] == (50.0, 50.0)


def test_satisfaction_distribution_and_average(known_cases, supervisor_user):
    rows = rows_of(report_satisfaction(user=supervisor_user, period=UTC_RANGE))
    assert rows[5]["defect"] == 1 and rows[3]["defect"] == 1 and rows[4]["general"] == 1
    assert rows[1]["wrong_item"] == 0  # rated, but created before the range
    assert rows["average"] == {
        "defect": 4.0,
        "return": None,
        "wrong_item": None,
        "shipment_issue": None,
        "general": 4.0,
    }
    assert rows["rated"]["defect"] == 2


def test_an_empty_range_gives_zeros_and_nothing_to_average(frozen, db, supervisor_user):
    period = DateRange(date(2025, 1, 1), date(2025, 1, 3), ZoneInfo("UTC"))
    assert report_volume(user=supervisor_user, period=period).is_empty()
    assert report_response_times(user=supervisor_user, period=period).is_empty()
    assert report_sla(user=supervisor_user, period=period).is_empty()
    assert report_sla_weekly(user=supervisor_user, period=period).is_empty()
    satisfaction = report_satisfaction(user=supervisor_user, period=period)
    assert satisfaction.is_empty()
    assert rows_of(satisfaction)["average"] == dict.fromkeys(KINDS, None)


def test_reports_only_count_cases_the_user_sees(known_cases, settings):
    # given a user who sees only the cases assigned to them, one of them
    settings.CASE_VISIBILITY = "own"
    alone = UserFactory(username="solo")
    Case.objects.filter(pk=known_cases[0].pk).update(assignee=alone)
    # then the reports count that one
    rows = rows_of(report_volume(user=alone, period=UTC_RANGE))
    assert rows["total"] == {
        "defect": 1,
        "return": 0,
        "wrong_item": 0,
        "shipment_issue": 0,
        "general": 0,
    }


def test_percentile_interpolates_like_postgres_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([3.0], 0.9) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([10.0, 30.0], 0.9) == 28.0


def test_csv_rows_have_keys_as_headers_and_iso_days(known_cases, supervisor_user):
    rows = list(report_csv_rows(report_volume(user=supervisor_user, period=UTC_RANGE)))
    assert rows[0] == ["day", *KINDS]
    assert rows[6] == ["2026-03-10", "2", "0", "0", "0", "0"]
    assert rows[-1] == ["total", "3", "0", "0", "0", "2"]
