"""Helpers for tests that start a real `celery worker` process."""

import sys
from pathlib import Path
from urllib.parse import quote

import kombu.pools
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
