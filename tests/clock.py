"""One clock for the whole test session, and for every process the tests start.

CI runs the suite twice: once at a night-time instant in Europe and once at a day-time one
(`TEST_NOW`, see .ci/run), so a test that silently depends on the hour fails every time, not
one night in three. The first process to load the test settings moves time to `TEST_NOW` and
leaves an anchor in the environment (the fake instant and the real time it stood for); pytest's
xdist workers, celery workers and `manage.py` subprocesses inherit it and move their clocks to
the same instant, so every process reads the same "now". Time ticks on from there at its real
pace; `time.monotonic()` is never moved, so timeouts still measure real seconds.

A test that needs an exact instant moves time itself with the `time_machine` fixture."""

import os
import time
from datetime import UTC, datetime

import time_machine

# A working day, 12:00 in Berlin (summer time): the default for `make test` on a laptop.
DAY = "2026-07-15T10:00:00+00:00"
# 03:30 in Berlin (winter time): inside the SMS quiet hours, before the shops open.
NIGHT = "2026-01-14T02:30:00+00:00"

ANCHOR = "TEST_CLOCK_ANCHOR"

_traveller: time_machine.travel | None = None


def start() -> None:
    """Move this process's clock to the session's instant (idempotent)."""
    global _traveller
    if _traveller is not None:
        return
    if ANCHOR not in os.environ:
        instant = datetime.fromisoformat(os.environ.get("TEST_NOW") or DAY)
        if instant.tzinfo is None:
            raise ValueError(f"TEST_NOW must name its UTC offset: {instant.isoformat()}")
        os.environ[ANCHOR] = f"{instant.timestamp()}:{time.time()}"
    fake, real = (float(part) for part in os.environ[ANCHOR].split(":"))
    _traveller = time_machine.travel(fake + (time.time() - real), tick=True)
    _traveller.start()
    # time-machine starts the ticking at the first reading, not at start(): read at once, or a
    # process that first asks for the time seconds later would run that much behind the others.
    time.time()


def wall_clock_now() -> datetime:
    """The real time, for what a person reads later (when a benchmark was measured)."""
    return datetime.fromtimestamp(time_machine.escape_hatch.time.time(), UTC)
