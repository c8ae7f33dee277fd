"""`{% sla_badge case %}`: grey with time left, amber within the hour, red when breached,
"paused" while waiting; no queries."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tickets.models import Case
from tickets.templatetags.agent_sla import sla_duration

NOW = dt.datetime(2026, 7, 15, 8, 0, tzinfo=dt.UTC)


def _render(case, request=None):
    request = request or RequestFactory().get("/")
    request._sla_now = NOW
    return Template("{% load agent_sla %}{% sla_badge case %}").render(
        Context({"case": case, "request": request})
    )


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
    assert sla_duration(delta) == text


def test_grey_while_there_is_time_with_the_exact_due_time_on_hover():
    html = _render(_case(sla_due=NOW + dt.timedelta(hours=2, minutes=10)))
    assert 'class="sla"' in html
    assert ">2 h 10 m<" in html
    assert 'title="Due ' in html


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


def test_no_badge_when_no_target_runs():
    assert _render(_case(sla_due=None)).strip() == ""
    resolved = _case(status=Case.Status.RESOLVED, sla_paused_at=NOW)
    assert _render(resolved).strip() == ""


@pytest.mark.django_db
def test_one_now_per_request_and_no_queries(django_assert_num_queries):
    request = RequestFactory().get("/")
    cases = [_case(sla_due=NOW + dt.timedelta(minutes=m)) for m in (5, 90, -5)]
    with django_assert_num_queries(0):
        html = "".join(_render(case, request) for case in cases)
    assert html.count('class="sla') == 3
