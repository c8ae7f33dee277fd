"""Writes to a case: create, move through the status machine, assign, prioritise, tag.

Every function runs in one transaction, refuses a stale `case` (optimistic locking on
`Case.version`) and records a CaseEvent."""

from datetime import datetime, timedelta
from enum import Enum
from typing import Final, Literal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.errors import InvalidTransition, OrderNotOfCustomer, StaleVersion
from tickets.models import Case, Customer, Order, Tag, Team
from tickets.selectors import sla_due_times
from tickets.services import timeline
from tickets.services.notifications import notify, rating_links
from tickets.services.timeline import Actor

# The moves a customer hears about, and the notification each one sends.
CUSTOMER_STATUS_EVENTS: dict[str, str] = {
    Case.Status.WAITING_ON_CUSTOMER: "case_status_changed",
    Case.Status.WAITING_ON_RETURN: "case_status_changed",
    Case.Status.WAITING_ON_CARRIER: "case_status_changed",
    Case.Status.RESOLVED: "case_resolved",
}


def _lock(case: Case) -> Case:
    """The current row, locked; raises StaleVersion if it moved on since `case` was read."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.version != case.version:
        raise StaleVersion(case.number)
    return current


def _save(case: Case, *fields: str) -> None:
    """Write `fields` only if nobody wrote since we read (a conditional UPDATE, so it holds on
    SQLite too, where select_for_update is a no-op), and bump the version."""
    now = timezone.now()
    written = Case.objects.filter(pk=case.pk, version=case.version).update(
        **{field: getattr(case, field) for field in fields},
        version=F("version") + 1,
        updated_at=now,
    )
    if not written:
        raise StaleVersion(case.number)
    case.version += 1
    case.updated_at = now


@transaction.atomic
def case_create(
    *,
    customer: Customer,
    kind: str,
    subject: str,
    channel: str,
    actor: Actor = None,
    order: Order | None = None,
    priority: str = Case.Priority.NORMAL,
    language: str | None = None,
    team: Team | None = None,
    description: str = "",
) -> Case:
    """Open a case for `customer`, with SLA due times from the matching policy.

    `description` (the customer's own words) becomes the first customer message."""
    if order is not None and order.customer_id != customer.pk:
        raise OrderNotOfCustomer()
    now = timezone.now()
    first_response_due, resolution_due = sla_due_times(kind=kind, priority=priority, start=now)
    case = Case(
        customer=customer,
        order=order,
        kind=kind,
        subject=subject,
        channel=channel,
        priority=priority,
        language=language or customer.language,
        team=team,
        first_response_due=first_response_due,
        resolution_due=resolution_due,
        created_at=now,
        updated_at=now,
    )
    case.full_clean()
    case.save()
    timeline.case_created_event(case=case, actor=actor)
    notify(customer=customer, event="case_received", key=case.number, case=case)
    if description:
        from tickets.services.messages import message_add

        message_add(case=case, body=description, author_kind="customer", actor=None)
        case.refresh_from_db()
    return case


@transaction.atomic
def case_transition(*, case: Case, to: str, actor: Actor, reason: str = "") -> Case:
    """Move `case` to status `to`.

    Raises InvalidTransition for a move not in Case.TRANSITIONS and StaleVersion when the
    case changed since it was read."""
    case = _lock(case)
    if to not in Case.TRANSITIONS[case.status]:
        raise InvalidTransition(case.status, to)
    previous, case.status = case.status, to
    now = timezone.now()
    if to == Case.Status.RESOLVED:
        case.resolved_at = now
    elif to == Case.Status.CLOSED:
        case.closed_at = now
    elif previous == Case.Status.RESOLVED:
        case.resolved_at = None
    _save(case, "status", "resolved_at", "closed_at")
    event = timeline.status_changed_event(case=case, actor=actor, previous=previous, reason=reason)
    if to in CUSTOMER_STATUS_EVENTS:
        notify(
            customer=case.customer,
            event=CUSTOMER_STATUS_EVENTS[to],
            key=f"{case.number}:{event.pk}",
            case=case,
            context={"rating_links": rating_links(case)} if to == Case.Status.RESOLVED else {},
        )
    return case


@transaction.atomic
def case_assign(*, case: Case, assignee: Actor, actor: Actor) -> Case:
    """Give `case` to `assignee` (None: back to the queue)."""
    case = _lock(case)
    previous_id = case.assignee_id
    if previous_id == (assignee.pk if assignee else None):
        return case
    case.assignee = assignee
    _save(case, "assignee")
    timeline.assigned_event(case=case, actor=actor, previous_id=previous_id)
    return case


@transaction.atomic
def case_set_team(*, case: Case, team: Team | None, actor: Actor) -> Case:
    """Route `case` to `team` (None: no team). Which agents see it may change with it."""
    case = _lock(case)
    previous_id = case.team_id
    if previous_id == (team.pk if team else None):
        return case
    case.team = team
    _save(case, "team")
    timeline.team_changed_event(case=case, actor=actor, previous_id=previous_id)
    return case


@transaction.atomic
def case_set_priority(*, case: Case, priority: str, actor: Actor) -> Case:
    """Change the priority; due times follow the new priority's policy, counted from opening."""
    case = _lock(case)
    if case.priority == priority:
        return case
    previous, case.priority = case.priority, priority
    case.full_clean(exclude=["customer", "order", "assignee", "team"])
    first_response_due, resolution_due = sla_due_times(
        kind=case.kind, priority=priority, start=case.created_at
    )
    case.resolution_due = resolution_due
    if case.first_responded_at is None:
        case.first_response_due = first_response_due
    _save(case, "priority", "first_response_due", "resolution_due")
    timeline.priority_changed_event(case=case, actor=actor, previous=previous)
    return case


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


# "Leave the assignee as it is" for case_update, where None means "back to the queue".
UNCHANGED: Final = _Unchanged.UNCHANGED


@transaction.atomic
def case_update(
    *,
    case: Case,
    actor: Actor,
    priority: str | None = None,
    assignee: Actor | Literal[_Unchanged.UNCHANGED] = UNCHANGED,
) -> Case:
    """Change the priority and/or the assignee in one transaction: both or neither. Raises
    what case_set_priority and case_assign raise."""
    if priority is not None:
        case = case_set_priority(case=case, priority=priority, actor=actor)
    if assignee is not UNCHANGED:
        case = case_assign(case=case, assignee=assignee, actor=actor)
    return case


@transaction.atomic
def case_set_tags(*, case: Case, names: list[str], actor: Actor) -> Case:
    """Replace the case's tags with `names`, creating tags that do not exist yet."""
    case = _lock(case)
    wanted = {name.strip().lower() for name in names if name.strip()}
    current = set(case.tags.values_list("name", flat=True))
    if wanted == current:
        return case
    for name in wanted - current:
        Tag(name=name).full_clean(validate_unique=False)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in sorted(wanted)]
    case.tags.set(tags)
    _save(case)
    timeline.tags_changed_event(
        case=case, actor=actor, added=sorted(wanted - current), removed=sorted(current - wanted)
    )
    return case


# One transaction closes at most this many cases: short enough that row locks held on
# PostgreSQL never stall agents for long; the beat schedule runs it again soon after.
AUTOCLOSE_BATCH = 500


def cases_autoclose(*, now: datetime | None = None, batch_size: int = AUTOCLOSE_BATCH) -> int:
    """Close resolved cases quiet for CASE_AUTOCLOSE_DAYS; returns how many were closed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CASE_AUTOCLOSE_DAYS)
    closed = 0
    while True:
        with transaction.atomic():
            ids = list(
                Case.objects.select_for_update(skip_locked=True)
                .filter(status=Case.Status.RESOLVED, resolved_at__lt=cutoff, updated_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return closed
            Case.objects.filter(pk__in=ids).update(
                status=Case.Status.CLOSED, closed_at=now, updated_at=now, version=F("version") + 1
            )
            timeline.bulk_status_changed_events(
                case_ids=ids,
                previous=Case.Status.RESOLVED,
                status=Case.Status.CLOSED,
                reason="autoclose",
            )
        closed += len(ids)
