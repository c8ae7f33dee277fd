import pytest


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads land in a throw-away folder, never in var/test-media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# 13:00 on a weekday in Berlin, the factory customers' time zone: outside the SMS quiet hours.
BERLIN_AFTERNOON = "2026-03-04T13:00:00+01:00"
# 03:00 the same night: inside them (21:00–08:00), which end at 08:00 Berlin, 07:00 UTC.
BERLIN_NIGHT = "2026-03-04T03:00:00+01:00"


@pytest.fixture
def daytime(time_machine):
    """Texts may go out: the clock stands (and ticks on) in a Berlin afternoon."""
    time_machine.move_to(BERLIN_AFTERNOON)
    return time_machine


@pytest.fixture
def night(time_machine):
    """Texts must wait: the clock stands in the Berlin night, inside the SMS quiet hours."""
    time_machine.move_to(BERLIN_NIGHT)
    return time_machine


@pytest.fixture
def sms_outbox():
    """The texts the test settings' LocMemBackend "sent", empty at the start of the test."""
    from tickets.sms import LocMemBackend

    LocMemBackend.outbox.clear()
    yield LocMemBackend.outbox
    LocMemBackend.outbox.clear()
