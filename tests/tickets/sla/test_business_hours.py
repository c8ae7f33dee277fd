"""Working-time arithmetic in a team's calendar: nights, weekends, holidays, time zones, DST."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tickets.services.sla import (
    Calendar,
    business_add,
    business_minutes_between,
    business_subtract,
    is_working_time,
    next_working_time,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def berlin(*args):
    return dt.datetime(*args, tzinfo=BERLIN)


def _calendar(zone=BERLIN, country="DE", days=(0, 1, 2, 3, 4), start=(9, 0), end=(17, 0)):
    return Calendar(
        zone=zone, days=frozenset(days), start=dt.time(*start), end=dt.time(*end), country=country
    )


def test_without_a_calendar_minutes_are_elapsed_time():
    start = berlin(2026, 7, 17, 16, 0)  # a Friday
    assert business_add(start, 120, None) == start + dt.timedelta(hours=2)
    assert business_minutes_between(start, start + dt.timedelta(hours=5), None) == 300


def test_minutes_within_the_day_stay_that_day():
    # given Wednesday 10:00 in Berlin, when 90 working minutes pass
    # then it is 11:30 the same day
    assert business_add(berlin(2026, 7, 15, 10, 0), 90, _calendar()) == berlin(2026, 7, 15, 11, 30)


def test_minutes_past_the_end_of_day_carry_over_the_night():
    # given Wednesday 16:00, 2 working hours: 1 today, 1 tomorrow from 9:00
    due = business_add(berlin(2026, 7, 15, 16, 0), 120, _calendar())
    assert due == berlin(2026, 7, 16, 10, 0)


def test_a_start_at_night_counts_from_the_next_morning():
    due = business_add(berlin(2026, 7, 15, 23, 30), 30, _calendar())
    assert due == berlin(2026, 7, 16, 9, 30)


def test_the_weekend_is_skipped():
    # given Friday 16:30, 60 working minutes: 30 on Friday, 30 on Monday
    due = business_add(berlin(2026, 7, 17, 16, 30), 60, _calendar())
    assert due == berlin(2026, 7, 20, 9, 30)


def test_a_public_holiday_of_the_team_country_is_skipped():
    # given Thursday 24 Dec 16:00: Friday 25 Dec is a holiday in Germany, then the weekend
    due = business_add(berlin(2026, 12, 24, 16, 0), 120, _calendar())
    assert due == berlin(2026, 12, 28, 10, 0)
    # and without a holiday country the 25th is a working day
    assert business_add(berlin(2026, 12, 24, 16, 0), 120, _calendar(country="")) == berlin(
        2026, 12, 25, 10, 0
    )


def test_hours_are_the_team_time_zone():
    # given a New York team (9-17 local) and 14:00 UTC = 10:00 in New York
    calendar = _calendar(zone=NEW_YORK, country="US")
    start = dt.datetime(2026, 7, 15, 14, 0, tzinfo=dt.UTC)
    # 7 working hours reach the end of the New York day, 21:00 UTC
    due = business_add(start, 7 * 60, calendar)
    assert due == dt.datetime(2026, 7, 15, 21, 0, tzinfo=dt.UTC)
    # and 12:00 UTC (8:00 in New York) is not working time there, while it is in Berlin
    assert not is_working_time(dt.datetime(2026, 7, 15, 12, 0, tzinfo=dt.UTC), calendar)
    assert is_working_time(dt.datetime(2026, 7, 15, 12, 0, tzinfo=dt.UTC), _calendar())


def test_a_day_when_the_clocks_change_counts_its_real_hours():
    # given a round-the-clock calendar in Berlin; on Sunday 29 March 2026 the clocks go
    # forward at 2:00, so that day has 23 hours
    calendar = _calendar(days=range(7), start=(0, 0), end=(23, 59), country="")
    start = berlin(2026, 3, 29, 1, 0)
    # when 120 working minutes pass from 1:00 local
    due = business_add(start, 120, calendar)
    # then it is 4:00 local (2:00-3:00 does not exist), two real hours later
    assert due == berlin(2026, 3, 29, 4, 0)
    assert due - start == dt.timedelta(hours=2)
    # and a 9-17 day on the DST Monday after is an ordinary 8 hours
    day = (berlin(2026, 3, 30, 0, 0), berlin(2026, 3, 31, 0, 0))
    assert business_minutes_between(*day, _calendar()) == 480


def test_minutes_between_count_only_working_time():
    # Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday
    friday, monday = berlin(2026, 7, 17, 16, 0), berlin(2026, 7, 20, 10, 0)
    minutes = business_minutes_between(friday, monday, _calendar())
    assert minutes == 120


def test_subtract_is_the_inverse_of_add():
    calendar = _calendar()
    start = berlin(2026, 7, 17, 16, 30)
    due = business_add(start, 600, calendar)
    assert business_subtract(due, 600, calendar) == start


def test_next_working_time_of_a_saturday_is_monday_morning():
    assert next_working_time(berlin(2026, 7, 18, 11, 0), _calendar()) == berlin(2026, 7, 20, 9, 0)


def test_a_calendar_without_working_time_fails_loudly():
    calendar = _calendar(days=(), country="")
    with pytest.raises(ValueError, match="no working time"):
        business_add(berlin(2026, 7, 15, 10, 0), 10, calendar)
