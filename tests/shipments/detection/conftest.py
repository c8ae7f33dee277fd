import datetime as dt

import pytest

# A Wednesday noon in Berlin: every detection test starts here.
NOW = dt.datetime(2026, 3, 11, 11, 0, tzinfo=dt.UTC)


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW
