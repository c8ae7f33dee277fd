"""Reads of the compensation ledger for the agent dashboard: one compensation, the supervisors'
approval queue (keyset-paged, a page never counts the table) and which moves a user may make."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet

from tickets.models import Case, Compensation, ExchangeRate

from .access import AnyUser, case_visible_to
from .cases import compensation_rows
from .staff import users_named

APPROVE_PERMISSION = "tickets.approve_compensation"
CHANGE_PERMISSION = "tickets.change_compensation"
PROPOSE_PERMISSION = "tickets.add_compensation"

# The dashboard's names of the ledger's moves, each with the status it leads to.
MOVES: dict[str, str] = {
    "approve": Compensation.Status.APPROVED,
    "reject": Compensation.Status.REJECTED,
    "issue": Compensation.Status.ISSUED,
    "fail": Compensation.Status.FAILED,
    "cancel": Compensation.Status.CANCELLED,
}

# The queue's tabs: what waits for a supervisor, and what was approved but has not gone out
# (a failed one may be issued again, so it stays here).
QUEUE_TABS: dict[str, Q] = {
    "waiting": Q(status=Compensation.Status.PROPOSED, needs_supervisor=True),
    "approved": Q(status__in=[Compensation.Status.APPROVED, Compensation.Status.FAILED]),
}


@dataclass(frozen=True)
class QueueKey:
    """Where a queue page starts: after the row with this (created_at, pk)."""

    created_at: datetime
    pk: int


def compensation_get(*, pk: int, user: AnyUser) -> Compensation | None:
    """The compensation `pk` if `user` sees its case, else None (as unknown as a missing one)."""
    return (
        Compensation.objects.filter(case_visible_to(user, via="case"), pk=pk)
        .select_related("case")
        .first()
    )


def compensation_queue(
    *, user: AnyUser, tab: str, after: QueueKey | None, limit: int
) -> list[Compensation]:
    """Up to `limit` compensations of queue `tab` on cases `user` sees, oldest first, after
    `after`: one query whatever the size of the ledger, with the case, its customer and the
    people a row shows."""
    rows: QuerySet[Compensation] = (
        Compensation.objects.filter(QUEUE_TABS[tab])
        .filter(case_visible_to(user, via="case"))
        .select_related("case__customer", "proposed_by", "approved_by")
        .order_by("created_at", "pk")
    )
    if after is not None:
        rows = rows.filter(
            Q(created_at__gt=after.created_at) | Q(created_at=after.created_at, pk__gt=after.pk)
        )
    return list(rows[:limit])


def case_compensations(*, case: Case) -> list[Compensation]:
    """The compensations of `case`, oldest first, each with who proposed and who approved it
    (their names only). The people are one query of their own, made only when the case has a
    compensation: joined to the ledger read, which every workspace makes, they doubled its
    time (compiling and planning two joins) for the many cases that have none."""
    rows = list(compensation_rows(case=case))
    people = users_named(pk for row in rows for pk in (row.proposed_by_id, row.approved_by_id))
    for row in rows:
        if row.proposed_by_id is not None:
            row.proposed_by = people.get(row.proposed_by_id)
        if row.approved_by_id is not None:
            row.approved_by = people.get(row.approved_by_id)
    return rows


def compensation_moves(*, compensation: Compensation, user: AnyUser) -> list[str]:
    """The moves (keys of MOVES) `user` may make on `compensation` now: those its status
    allows, with the change permission; approving above the limit also needs the approve
    permission (as compensation_approve checks)."""
    if not user.has_perm(CHANGE_PERMISSION):
        return []
    allowed = Compensation.TRANSITIONS[compensation.status]
    moves = [move for move, target in MOVES.items() if target in allowed]
    if compensation.needs_supervisor and not user.has_perm(APPROVE_PERMISSION):
        moves = [move for move in moves if move != "approve"]
    return moves


def rate_to_base(*, currency: str) -> Decimal | None:
    """How many BASE_CURRENCY units one unit of `currency` buys, or None without a rate."""
    if currency == settings.BASE_CURRENCY:
        return Decimal(1)
    try:
        # get(), not first(): one unique currency needs no ORDER BY (a sixth of this read).
        return ExchangeRate.objects.values_list("rate", flat=True).get(currency=currency)
    except ExchangeRate.DoesNotExist:
        return None


def compensation_currency(*, case: Case) -> str:
    """The currency a compensation on `case` is proposed in: its order's, else BASE_CURRENCY."""
    return case.order.currency if case.order_id and case.order else settings.BASE_CURRENCY
