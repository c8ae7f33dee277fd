"""The session clock (tests/clock.py): every test process and every process a test starts
reads the same moved "now", so CI's night and day passes really run at night and by day."""

import os
import subprocess
import sys
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from tests import clock


def _session_instant() -> datetime:
    return datetime.fromisoformat(os.environ.get("TEST_NOW") or clock.DAY)


def test_this_process_runs_at_the_session_instant():
    # a session lasts minutes, never days: "now" stays near TEST_NOW, far from the wall clock
    assert abs(timezone.now() - _session_instant()) < timedelta(hours=1)


def test_a_process_started_by_a_test_reads_the_same_clock():
    # given the test settings a worker or manage.py subprocess loads
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.test"}
    # when such a process reads the time
    code = (
        "import django; django.setup(); from django.utils import timezone; "
        "print(timezone.now().isoformat())"
    )
    before = timezone.now()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    after = timezone.now()
    # then its "now" lies between ours before and after it ran
    theirs = datetime.fromisoformat(result.stdout.strip())
    assert before - timedelta(seconds=1) <= theirs <= after + timedelta(seconds=1)
