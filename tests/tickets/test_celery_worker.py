"""The real path: a web request queues a task, a real `celery worker` process runs it and
writes to the database. On the embedded defaults the broker is Kombu's filesystem transport;
with REDIS_URL set (CI's second run) it is the real Redis, and the database PostgreSQL."""

import os
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from aftersales.celery import app as celery_app
from tests.celery_support import CELERY, database_url, drop_pooled_connections
from tickets.models import WorkerHeartbeat


@pytest.fixture
def isolated_broker(tmp_path):
    """The test's own broker: Redis database 15 on the real server, or a fresh queue folder,
    so that no other worker (a `make run` next door) can take the test's message."""
    previous = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    env = {}
    if settings.REDIS_URL:
        url = settings.REDIS_URL.rsplit("/", 1)[0] + "/15"
        import redis

        redis.Redis.from_url(url).flushdb()
        celery_app.conf.broker_url = env["REDIS_URL"] = url
    else:
        env["CELERY_QUEUE_DIR"] = str(tmp_path)
        # The same folders as settings make, under tmp_path (the worker computes them from env).
        celery_app.conf.broker_transport_options = {
            key: value.replace(str(settings.CELERY_QUEUE_DIR), str(tmp_path))
            if isinstance(value, str)
            else value
            for key, value in settings.CELERY_BROKER_TRANSPORT_OPTIONS.items()
        }
        for key in ("data_folder_in", "processed_folder", "control_folder"):
            Path(celery_app.conf.broker_transport_options[key]).mkdir()
    celery_app.conf.task_always_eager = False
    drop_pooled_connections()
    yield env
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = previous
    celery_app.conf.task_always_eager = True
    drop_pooled_connections()


@pytest.fixture
def worker(isolated_broker, tmp_path):
    name = f"test-{uuid.uuid4().hex[:8]}@localhost"
    env = {
        **os.environ,
        **isolated_broker,
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": database_url(),
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [str(CELERY), "-A", "aftersales", "worker", "-n", name, "--pool", "solo",
         "--without-gossip", "--without-mingle", "--loglevel", "INFO"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log_path = tmp_path / "worker.log"
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail("the worker did not start:\n" + log_path.read_text())
        time.sleep(0.1)
    yield name
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_queued_by_a_web_request_runs_in_a_real_worker(agent_client, worker, tmp_path):
    # given a real worker process on the test database and an isolated broker
    # when an agent asks the dashboard to check the workers
    response = agent_client.post("/agent/workers/check/")
    assert response.status_code == 302
    # then that worker, not this process, records its heartbeat in the database
    deadline = time.monotonic() + 60
    while not WorkerHeartbeat.objects.filter(hostname=worker).exists():
        if time.monotonic() > deadline:
            pytest.fail("no heartbeat after 60 s:\n" + (tmp_path / "worker.log").read_text())
        time.sleep(0.25)
    assert WorkerHeartbeat.objects.get().hostname == worker
