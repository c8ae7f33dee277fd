"""IMAP_URL switches the poll's beat entry on; a URL that is not IMAP stops the start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHOW = (
    "import json; from django.conf import settings; "
    "print(json.dumps(settings.CELERY_BEAT_SCHEDULE.get('inbound-mail-poll')))"
)


def _settings_with(imap_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.test", "IMAP_URL": imap_url}
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_an_imap_url_schedules_the_poll_every_minute():
    result = _settings_with("imaps://support:secret@imap.shop.example/INBOX")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "task": "tickets.tasks.inbound_mail_poll",
        "schedule": 60.0,
        "options": {"expires": 55},
    }


def test_without_an_imap_url_nothing_is_scheduled():
    result = _settings_with("")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is None


def test_an_imap_url_of_another_scheme_stops_the_start_up():
    result = _settings_with("pop3://support:secret@mail.shop.example")
    assert result.returncode != 0
    assert "IMAP_URL must look like imaps://" in result.stderr
