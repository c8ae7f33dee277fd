"""Thin Celery tasks of the shipments app: take ids and primitives, call one service."""

from typing import Any

from celery import shared_task

from shipments.services import claims, deliveries, detection, findings, polling, updates


@shared_task
def shipment_issues_detect() -> dict[str, Any]:
    report = detection.shipment_issues_detect()
    return {"found": report.found, "cleared": report.cleared, "waiting": report.waiting}


@shared_task
def shipment_findings_announce() -> int:
    """Announce new findings (queued by detection); returns how many."""
    return findings.findings_announce_task_run()


@shared_task
def shipment_updates_send(changes: list[dict[str, Any]]) -> int:
    """Milestone updates for status changes (shipments.signals.StatusChange as dicts)."""
    return updates.shipment_updates_send(changes=changes)


@shared_task
def shipments_poll() -> int:
    """Beat's polling run (settings.SHIPMENTS_POLL_EVERY_SECONDS); returns the events stored."""
    return polling.shipments_poll().stored


@shared_task
def tracking_deliveries_ingest() -> int:
    """Store the provider webhook deliveries waiting; returns the events stored."""
    return deliveries.deliveries_ingest()


@shared_task
def shipment_claims_refresh() -> int:
    """Beat's look at the open insurance claims; returns how many moved."""
    return claims.claims_refresh_open()
