import datetime as dt

import pytest

from tickets.models import Case, SLAPolicy, Team

# Wednesday 15 July 2026, 10:00 in Berlin.
WEDNESDAY_10 = dt.datetime(2026, 7, 15, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def berlin_team(db):
    return Team.objects.create(name="DACH", time_zone="Europe/Berlin", holiday_country="DE")


@pytest.fixture
def policy(db):
    """General / normal: first response 60 min, update 30 min, resolution 480 min, 24/7."""
    policy = SLAPolicy.objects.get(kind=Case.Kind.GENERAL, priority=Case.Priority.NORMAL)
    policy.first_response_minutes = 60
    policy.next_response_minutes = 30
    policy.resolution_minutes = 480
    policy.save()
    return policy


@pytest.fixture
def at(time_machine):
    """Move the clock: `at(datetime)` or `at(minutes=...)` forward from where it stands."""

    def move(when=None, **delta):
        from django.utils import timezone

        time_machine.move_to(when or timezone.now() + dt.timedelta(**delta), tick=False)

    return move
