"""Thin Celery tasks of the shipments app: take primitives, call one service."""

from celery import shared_task

from shipments.services import polling


@shared_task
def shipments_poll() -> int:
    """Beat's polling run (settings.SHIPMENTS_POLL_EVERY_SECONDS); returns the events stored."""
    return polling.shipments_poll().stored
