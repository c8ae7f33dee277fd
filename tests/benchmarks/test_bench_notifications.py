"""Benchmark: notifications delivered per second by two `celery worker` processes (prefork,
--concurrency 2 each) to an aiosmtpd server on 127.0.0.1, from queueing to the last row sent.

2,000 notifications on Redis; 200 on Kombu's filesystem transport, which hands a worker at
most its prefetch (2 messages) per one-second poll. The database is the test database
pytest-django made from the settings (SQLite by default, PostgreSQL with DATABASE_URL), the
broker Redis database 11 with REDIS_URL, else a queue folder under tmp. The figures are
printed and kept in var/benchmarks/notifications.txt, one block per database and broker."""

import os
import statistics
import sys
import time
from datetime import UTC, datetime

import django
import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Max

from tests.benchmarks.figures import keep_figures
from tests.clock import wall_clock_now
from tests.tickets.delivery.harness import (
    delivery_processes,
    notifications_create,
    notifications_enqueue,
    sent_count,
)
from tickets.models import Notification

WORKERS = 2
CONCURRENCY = 2
COUNT = 2_000 if settings.REDIS_URL else 200
BENCH_REDIS_DB = 11  # clear of the tests' databases (12 to 15): `make test` may run alongside

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def delivery(tmp_path):
    with delivery_processes(tmp_path, redis_db=BENCH_REDIS_DB) as run:
        yield run


def test_notifications_delivered_per_second_by_two_workers(delivery):
    # given two idle workers and COUNT outbox rows as notify() leaves them
    load = os.getloadavg()[0]
    for _ in range(WORKERS):
        delivery.start_worker(concurrency=CONCURRENCY)
    ids = notifications_create(COUNT)
    # when every row is queued at once
    started = datetime.now(UTC)
    clock = time.perf_counter()
    notifications_enqueue(ids)
    enqueue_seconds = time.perf_counter() - clock
    delivery.wait_until(
        lambda: sent_count() == COUNT, timeout=max(120, COUNT / 2), what="all notifications sent"
    )
    # then each arrived once, and the rate is the count over the time to the last send
    delivery.assert_each_sent_once(ids)
    last = Notification.objects.aggregate(last=Max("sent_at"))["last"]
    seconds = (last - started).total_seconds()
    latencies = sorted(
        (sent - started).total_seconds()
        for sent in Notification.objects.values_list("sent_at", flat=True)
    )
    text = figures_text(seconds, enqueue_seconds, latencies, load)
    print("\n" + text)
    broker = "Redis" if settings.REDIS_URL else "the filesystem broker"
    keep_figures(
        "notifications",
        text,
        f"{COUNT / seconds:,.1f} notifications/s ({COUNT:,} emails, {WORKERS} workers × "
        f"--concurrency {CONCURRENCY}, {broker}; load average {load:.1f} before)",
    )


def figures_text(seconds: float, enqueue_seconds: float, latencies: list[float], load) -> str:
    broker = "redis" if settings.REDIS_URL else "filesystem"
    quartiles = statistics.quantiles(latencies, n=20)
    return "\n".join(
        [
            f"## {connection.vendor} + {broker}",
            f"database {connection.settings_dict['NAME']}, measured "
            f"{wall_clock_now():%Y-%m-%d %H:%M} UTC",
            f"Python {sys.version.split()[0]}, Django {django.get_version()}, "
            f"{os.cpu_count()} CPUs, load average {load:.1f} before the run; the SMTP server "
            "runs in the pytest process on the same CPUs",
            f"{WORKERS} worker processes × --concurrency {CONCURRENCY} (prefork, prefetch "
            f"multiplier {settings.CELERY_WORKER_PREFETCH_MULTIPLIER}, acks late), "
            f"{COUNT:,} email notifications, one SMTP connection each",
            f"queued in {enqueue_seconds:.2f} s ({COUNT / enqueue_seconds:,.0f}/s); last sent "
            f"{seconds:.1f} s after the first was queued: {COUNT / seconds:,.1f} notifications/s",
            f"time from queueing to sent: median {quartiles[9]:.1f} s, 95th percentile "
            f"{quartiles[18]:.1f} s",
        ]
    )
