"""Reads that are more than a one-line query."""

from datetime import datetime, timedelta

from django.db.models import Count, QuerySet

from tickets.models import Case, SLAPolicy, WorkerHeartbeat


def sla_due_times(
    *, kind: str, priority: str, start: datetime
) -> tuple[datetime | None, datetime | None]:
    """First-response and resolution due times for a case opened at `start`.

    Returns (None, None) when no SLAPolicy covers the kind and priority."""
    policy = SLAPolicy.objects.filter(kind=kind, priority=priority).first()
    if policy is None:
        return None, None
    return (
        start + timedelta(minutes=policy.first_response_minutes),
        start + timedelta(minutes=policy.resolution_minutes),
    )


def case_counts_by_status() -> dict[str, int]:
    """How many cases stand in each status, every status present (one query)."""
    counts = dict(Case.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {status: counts.get(status, 0) for status in Case.Status.values}


def worker_heartbeats() -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.order_by("-seen_at")
