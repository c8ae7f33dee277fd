"""Validators and defaults of a team's business hours (Team.time_zone, working_days,
holiday_country): plain functions, so that migrations can name them."""

import zoneinfo

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def default_working_days() -> list[int]:
    """Monday to Friday."""
    return [0, 1, 2, 3, 4]


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
