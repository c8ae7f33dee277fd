"""Handing work to the Celery workers, by task name.

Services enqueue through here and never import tickets.tasks, which imports the services: the
layers read top-down (tasks → services → models) with no cycle to hide. Enqueueing happens after
the caller's transaction commits; if the broker cannot be reached then, the change is already
saved, so the failure is logged and the periodic sweeper queues the work again later (an
outbox row stays pending until it is delivered) — never an error for a saved change."""

import logging
from functools import partial

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)

# The tasks the services queue, by name (tests check each is registered in tickets.tasks).
NOTIFICATION_DELIVER = "tickets.tasks.notification_deliver"
WORKER_HEARTBEAT = "tickets.tasks.worker_heartbeat"
PORTAL_LINK_SEND = "tickets.tasks.portal_link_send"


def enqueue(task: str, *args: object, countdown: float | None = None) -> bool:
    """Queue `task` with `args` now; False (logged) if the broker could not take it."""
    try:
        current_app.signature(task, args=args).apply_async(countdown=countdown)
    except Exception as exc:  # noqa: BLE001 — any broker failure: the sweeper catches up
        logger.warning("Could not queue %s%r (the sweeper will): %s", task, args, exc)
        return False
    return True


def enqueue_on_commit(task: str, *args: object) -> None:
    """Queue `task` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(enqueue, task, *args))
