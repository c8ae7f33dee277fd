"""SLA badges (tickets/agent/rows.py's Clock, and `{% sla_badge case %}`): grey with time left,
amber within the hour, red when breached, "paused" while waiting; no queries. And a row's
compact age and flag."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template

from tickets.agent.rows import Clock, flag
from tickets.models import Case

NOW = dt.datetime(2026, 7, 15, 8, 0, tzinfo=dt.UTC)


def _render(case):
    return str(Clock(NOW).sla_badge(case))


def _case(**fields):
    fields.setdefault("status", Case.Status.OPEN)
    return Case(**fields)


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (dt.timedelta(hours=2, minutes=10), "2 h 10 m"),
        (dt.timedelta(minutes=-35), "\N{MINUS SIGN}35 m"),
        (dt.timedelta(days=3, hours=4, minutes=59), "3 d 4 h"),
        (dt.timedelta(seconds=30), "0 m"),
        (dt.timedelta(seconds=-30), "0 m"),
        (dt.timedelta(hours=-26), "\N{MINUS SIGN}1 d 2 h"),
    ],
)
def test_texts(delta, text):
    assert Clock(NOW).duration(delta) == text


def test_grey_while_there_is_time_with_the_exact_due_time_on_hover():
    html = _render(_case(sla_due=NOW + dt.timedelta(hours=2, minutes=10)))
    assert 'class="sla"' in html
    assert ">2 h 10 m<" in html
    due = (NOW + dt.timedelta(hours=2, minutes=10)).isoformat()
    # the exact time on hover is the browser's to write (times.js), in the agent's language
    assert f'datetime="{due}" data-title="Due %(time)s"' in html


def test_amber_within_the_hour():
    html = _render(_case(sla_due=NOW + dt.timedelta(minutes=59)))
    assert 'class="sla sla-amber"' in html
    assert ">59 m<" in html


def test_red_when_breached():
    html = _render(_case(sla_due=NOW - dt.timedelta(minutes=35)))
    assert 'class="sla sla-red"' in html
    assert "\N{MINUS SIGN}35 m" in html
    assert "Breached" in html


def test_paused_cases_say_paused():
    html = _render(_case(status=Case.Status.WAITING_ON_CUSTOMER, sla_paused_at=NOW))
    assert 'class="sla sla-paused"' in html
    assert ">paused<" in html
    assert f'datetime="{NOW.isoformat()}" data-title="Paused since %(time)s"' in html


def test_no_badge_when_no_target_runs():
    assert _render(_case(sla_due=None)).strip() == ""
    resolved = _case(status=Case.Status.RESOLVED, sla_paused_at=NOW)
    assert _render(resolved).strip() == ""


@pytest.mark.django_db
def test_the_tag_draws_the_same_badge_without_queries(django_assert_num_queries):
    cases = [_case(sla_due=NOW + dt.timedelta(minutes=m)) for m in (5, 90, -5)]
    template = Template("{% load agent_sla %}{% sla_badge case %}")
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(0):
        html = [template.render(Context({"case": case})) for case in cases]
    assert html == [_render(case) for case in cases]
    assert [h.count("sla-amber") + h.count("sla-red") for h in html] == [1, 0, 1]


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (dt.timedelta(seconds=59), "now"),
        (dt.timedelta(minutes=5, seconds=30), "5 min"),
        (dt.timedelta(hours=3, minutes=59), "3 h"),
        (dt.timedelta(days=12, hours=23), "12 d"),
        (dt.timedelta(minutes=-3), "now"),
    ],
)
def test_compact_age(ago, text):
    assert Clock(NOW).ago_short(NOW - ago) == text


def test_flags_of_country_codes():
    assert flag("de") == "\U0001f1e9\U0001f1ea"
    assert flag("") == flag("D1") == flag("DEU") == ""
