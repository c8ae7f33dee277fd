"""Validators and defaults of a team's business hours (Team.time_zone, working_days,
day_start, day_end, holiday_country): plain functions, so that migrations can name them."""

import datetime
import zoneinfo

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def default_working_days() -> list[int]:
    """Monday to Friday."""
    return [0, 1, 2, 3, 4]


# A working day's default bounds are functions, not fixed times: Django's system check takes a
# fixed time default for a mistaken "now" when it runs within 10 seconds of that time of day
# (fields.W161), so `check --deploy` failed at 09:00:00 and 17:00:00.
def default_day_start() -> datetime.time:
    """Nine in the morning."""
    return datetime.time(9, 0)


def default_day_end() -> datetime.time:
    """Five in the afternoon."""
    return datetime.time(17, 0)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone (e.g. Europe/Berlin)."), params={"value": value}
        )


def validate_working_days(value: object) -> None:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(day, int) and 0 <= day <= 6 for day in value)
        or len(set(value)) != len(value)
    ):
        raise ValidationError(
            _("Give one to seven different weekday numbers, Monday 0 to Sunday 6.")
        )


def validate_holiday_country(value: str) -> None:
    if value and value.upper() not in holidays.list_supported_countries():
        raise ValidationError(
            _("No public holidays are known for %(value)s."), params={"value": value}
        )
