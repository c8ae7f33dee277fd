import pytest

# A fixed instant, so "at risk" and "breached" do not depend on when the tests run.
NOW = "2026-03-04T12:00:00+00:00"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine
