import datetime as dt
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command

from shipments.models import ShipmentStatus
from shipments.services import findings
from tests.shipments.factories import ShipmentFactory

pytestmark = pytest.mark.django_db


def test_command_prints_what_each_rule_found(now):
    ShipmentFactory(status=ShipmentStatus.EXCEPTION, first_scan_at=now, last_event_at=now)
    out = StringIO()

    call_command("detect_shipment_issues", "--announce-limit=0", stdout=out)

    assert "exception: 1 found, 0 cleared" in out.getvalue()
    assert "total: 1 found, 0 cleared, 0 announced, 1 waiting to be announced" in out.getvalue()


def test_by_default_the_command_queues_the_announcing(now):
    ShipmentFactory(status=ShipmentStatus.EXCEPTION, first_scan_at=now, last_event_at=now)
    out = StringIO()

    with mock.patch.object(findings.queue, "enqueue_on_commit") as enqueue:
        call_command("detect_shipment_issues", stdout=out)

    assert "1 waiting to be announced (queued for the workers)" in out.getvalue()
    enqueue.assert_called_once_with(findings.SHIPMENT_FINDINGS_ANNOUNCE)


def test_beat_runs_the_detection_task():
    from shipments import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["shipment-issues-detect"]
    assert entry["task"] == tasks.shipment_issues_detect.name
    assert dt.timedelta(seconds=entry["schedule"]) <= dt.timedelta(minutes=15)
