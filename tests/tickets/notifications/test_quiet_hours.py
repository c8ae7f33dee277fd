"""sms_send_time(): texts are held during the customer's local night (SMS_QUIET_HOURS)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tickets.services.notifications import sms_send_time

BERLIN, SHANGHAI = "Europe/Berlin", "Asia/Shanghai"


def _local(tz, *args):
    return datetime(*args, tzinfo=ZoneInfo(tz))


@pytest.mark.parametrize("hour_minute", [(8, 0), (12, 0), (20, 59)], ids=["08:00", "noon", "20:59"])
def test_outside_quiet_hours_a_text_goes_at_once(hour_minute):
    # given a daytime moment in the customer's time zone
    now = _local(BERLIN, 2026, 3, 2, *hour_minute)
    # then the text is due right away
    assert sms_send_time(now, BERLIN) == now


@pytest.mark.parametrize(
    ("hour_minute", "due_day"),
    [((21, 0), 3), ((22, 30), 3), ((23, 59), 3), ((0, 0), 2), ((3, 0), 2), ((7, 59), 2)],
    ids=["21:00", "22:30", "23:59", "midnight", "03:00", "07:59"],
)
def test_within_quiet_hours_a_text_waits_for_8_am_local(hour_minute, due_day):
    # given a night-time moment in the customer's time zone
    now = _local(BERLIN, 2026, 3, 2, *hour_minute)
    # then the text is due at the next 08:00 there
    assert sms_send_time(now, BERLIN) == _local(BERLIN, 2026, 3, due_day, 8, 0)


def test_quiet_hours_follow_the_customers_time_zone():
    # given 13:30 UTC: 14:30 in Berlin but 21:30 in Shanghai
    now = datetime(2026, 3, 2, 13, 30, tzinfo=UTC)
    # then a Berlin text goes now and a Shanghai one at 08:00 Shanghai time
    assert sms_send_time(now, BERLIN) == now
    assert sms_send_time(now, SHANGHAI) == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)


def test_the_morning_after_a_clock_change_is_08_00_summer_time():
    # given 23:00 in Berlin the night the clocks go forward (29 March 2026, 02:00 -> 03:00)
    now = _local(BERLIN, 2026, 3, 28, 23, 0)
    # then the text waits until 08:00 CEST, which is 06:00 UTC
    assert sms_send_time(now, BERLIN) == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
