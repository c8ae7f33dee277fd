"""The dashboard's reads: the outbox, the workers' heartbeats, short links."""

from django.conf import settings
from django.db.models import QuerySet

from tickets.models import (
    Notification,
    ShortLink,
    WorkerHeartbeat,
)

from .access import AnyUser, case_visible_to
from .counts import Tally, row_count


def worker_heartbeats() -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.order_by("-seen_at")


def notification_list(
    *, user: AnyUser, channel: str = "", status: str = ""
) -> QuerySet[Notification]:
    """The outbox rows of cases `user` sees, newest first, optionally of one channel and one
    status; with its case, so a page costs one query however long it is."""
    notifications = (
        Notification.objects.filter(case_visible_to(user, via="case"))
        .select_related("case")
        .order_by("-created_at", "-pk")
    )
    if channel:
        notifications = notifications.filter(channel=channel)
    if status:
        notifications = notifications.filter(status=status)
    return notifications


# What needs a person: notifications that gave up, and texts held because they may have gone.
NEEDS_ATTENTION = (Notification.Status.FAILED, Notification.Status.HELD)


def notification_failed_list(*, user: AnyUser) -> QuerySet[Notification]:
    """Notifications that gave up or are held, newest first: what an agent may send again."""
    return notification_list(user=user).filter(status__in=NEEDS_ATTENTION)


def notification_failed_count(*, user: AnyUser) -> Tally:
    """How many notifications need a person: exact up to HOME_COUNT_CAP, estimated beyond
    (the dashboard shows it on every visit; a broken provider can fail thousands)."""
    return row_count(notification_failed_list(user=user), cap=settings.HOME_COUNT_CAP)


def notification_get(*, pk: int, user: AnyUser) -> Notification | None:
    """The notification `pk` if `user` sees its case, else None."""
    return notification_list(user=user).filter(pk=pk).first()


def short_link_target(*, code: str) -> str | None:
    """The path a short link (/s/<code>) leads to, or None for an unknown code."""
    return ShortLink.objects.filter(code=code.upper()).values_list("target", flat=True).first()
