"""Helpers and fixtures for tests that start a real `celery worker` process (tests/conftest.py
offers the fixtures `isolated_broker` and `worker` to every test)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection

from aftersales.celery import app as celery_app

CELERY = Path(sys.executable).with_name("celery")


def database_url() -> str:
    """The test database as a DATABASE_URL, for a worker process to use."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def drop_pooled_connections() -> None:
    """Forget connections made with the old broker settings. Kombu keeps producer pools in a
    global registry keyed by broker URL, and "filesystem://" is the same URL whatever its
    folders, so the app's pool, Kombu's registry and the app's cached AMQP all have to go."""
    celery_app.close()
    kombu.pools.reset()
    celery_app.__dict__.pop("amqp", None)


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
         "--queues", "celery,notifications,tracking",
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
