"""The dashboard's counts by status: active cases counted exactly from their partial index,
resolved and closed ones exactly up to HOME_COUNT_CAP and estimated beyond."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CaseFactory, UserFactory, agent
from tickets import selectors
from tickets.models import Case

S = Case.Status
HOME = "/agent/"


@pytest.fixture
def spread(db):
    """Two new, three open, one waiting on the carrier, four resolved, three closed."""
    for status, count in (
        (S.NEW, 2),
        (S.OPEN, 3),
        (S.WAITING_ON_CARRIER, 1),
        (S.RESOLVED, 4),
        (S.CLOSED, 3),
    ):
        for _ in range(count):
            CaseFactory(status=status)


def test_every_status_is_counted_exactly_under_the_cap(spread, settings):
    settings.HOME_COUNT_CAP = 4
    counts = selectors.case_counts_by_status(user=UserFactory(is_superuser=True))
    assert counts == {
        "new": 2, "open": 3, "waiting_on_customer": 0, "waiting_on_return": 0,
        "waiting_on_carrier": 1, "resolved": 4, "closed": 3,
    }  # fmt: skip
    assert all(count.exact for count in counts.values())


def test_resolved_and_closed_cases_beyond_the_cap_are_estimated_on_postgresql(spread, settings):
    # given a cap below the resolved and closed cases, none below the active ones
    settings.HOME_COUNT_CAP = 1
    counts = selectors.case_counts_by_status(user=UserFactory(is_superuser=True))
    # then the active ones are still exact, whatever the cap
    assert (counts["open"], counts["open"].exact) == (3, True)
    # and the others are PostgreSQL's estimate, flagged, never below the cap; SQLite counts
    if connection.vendor == "postgresql":
        assert not counts["closed"].exact and counts["closed"] >= 2
    else:
        assert (counts["closed"], counts["closed"].exact) == (3, True)


def test_the_dashboard_says_about_for_an_estimate(agent_client, spread, settings):
    # given more unassigned active cases than the cap
    settings.HOME_COUNT_CAP = 1
    response = agent_client.get(HOME)
    assert response.status_code == 200
    # then PostgreSQL's estimate says "about"; SQLite counts them all
    estimated = connection.vendor == "postgresql"
    assert ("about " in response.content.decode()) is estimated


def test_the_counts_respect_who_sees_which_cases(spread, settings):
    # given an agent who sees only their own cases, with one open case assigned
    settings.CASE_VISIBILITY = "own"
    ana = UserFactory(username="ana")
    CaseFactory(status=S.OPEN, assignee=ana)
    CaseFactory(status=S.CLOSED, assignee=ana)
    # then the counts are of that case alone
    counts = selectors.case_counts_by_status(user=ana)
    assert (counts["open"], counts["closed"], counts["new"]) == (1, 1, 0)


@pytest.mark.django_db
def test_the_failed_notifications_are_counted_only_for_who_may_open_them(client):
    # given two users who work cases, one of them without tickets.view_notification
    reader = UserFactory(username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_case"))
    agent_user = agent(username="ana")
    # when each opens the dashboard
    costs = {}
    for user in (reader, agent_user):
        client.force_login(user)
        client.get(HOME)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(HOME)
        costs[user.username] = len(captured)
        assert response.status_code == 200
        shown = "failed notification" in response.content.decode()
        # then only the one who may open them sees the count
        assert shown == user.has_perm("tickets.view_notification")
    # and the dashboard spares the other one the counting
    assert costs["reader"] < costs["ana"]
