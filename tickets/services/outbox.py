"""The one mutator of Notification.status.

Every writer of the outbox's status (delivery, the agent's "send again", an SMS STOP, a bounce)
moves rows through `notifications_move()`, which allows only the moves listed in
Notification.TRANSITIONS. It is a guarded UPDATE rather than lock-read-write: the status filter
is the lock, so a move that lost a race (another worker sent the row, a STOP failed it) changes
nothing and says so, on SQLite as on PostgreSQL."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from tickets.models import Notification

Status = Notification.Status


class NotAllowedMove(ValueError):
    """A programming error: a move the transition table does not list."""


def sources_of(to: str) -> frozenset[str]:
    """Every status from which the table allows a move to `to`."""
    return frozenset(
        source for source, targets in Notification.TRANSITIONS.items() if to in targets
    )


def notifications_move(
    *,
    notifications: QuerySet[Notification],
    to: str,
    from_: Iterable[str] | None = None,
    **fields: Any,
) -> int:
    """Move the rows of `notifications` that are in a status the table allows to leave for `to`
    (only those in `from_`, if given) to `to`, writing `fields` with it, in one UPDATE; returns
    how many moved. Rows in another status are left alone.

    Raises NotAllowedMove if `from_` names a status from which `to` cannot be reached."""
    allowed = sources_of(to)
    if from_ is not None:
        wanted = frozenset(from_)
        if not wanted <= allowed:
            raise NotAllowedMove(
                f"Notifications cannot move from {sorted(wanted - allowed)} to {to}."
            )
        allowed = wanted
    if not allowed:
        raise NotAllowedMove(f"No notification may move to {to}.")
    return notifications.filter(status__in=allowed).update(status=to, **fields)


def notification_move(
    *, notification_id: int, to: str, from_: Iterable[str] | None = None, **fields: Any
) -> bool:
    """notifications_move() for one row: True if it moved, False if it was in no status `to`
    may be reached from (another worker, a STOP or an agent moved it first)."""
    rows = Notification.objects.filter(pk=notification_id)
    return notifications_move(notifications=rows, to=to, from_=from_, **fields) == 1
