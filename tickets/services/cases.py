"""Writes to a case: open, assign, prioritise, tag; and, from the status machine
(transitions.py), move. Callers import every case write from here.

Every function runs in one transaction, refuses a stale `case` (optimistic locking on
`Case.version`) and records a CaseEvent. The layers read top-down: this module uses messages.py
(a new case's first message), which uses transitions.py (a customer's message reopens a case),
and all three save the row through case_rows.py."""

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Final, Literal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from tickets.errors import OrderLineNotOfOrder, OrderNotOfCustomer
from tickets.models import Case, Customer, Order, OrderLine, Tag, Team
from tickets.services import routing, sla, timeline
from tickets.services.case_rows import case_lock, case_lock_current, case_save
from tickets.services.messages import message_add
from tickets.services.notifications import notify
from tickets.services.timeline import Actor
from tickets.services.transitions import (
    case_transition,
    case_transition_by_system,
    cases_autoclose,
)

__all__ = [
    "UNCHANGED",
    "case_answered",
    "case_assign",
    "case_create",
    "case_set_priority",
    "case_set_tags",
    "case_set_team",
    "case_transition",
    "case_transition_by_system",
    "case_update",
    "cases_autoclose",
]


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
    order_line: OrderLine | None = None,
    attachments: Sequence["UploadedFile[bytes]"] = (),
    link: Callable[[Case], object] | None = None,
) -> Case:
    """Open a case for `customer`, routed (a team by the routing rules when none is given, an
    agent of the team round-robin) and with SLA due times from the matching policy.

    `link(case)` runs once the case is saved and before the customer is told: a scenario app
    links its own rows to the case there, so that the first message can speak of them.

    `description` (the customer's own words) becomes the first customer message, with
    `attachments`. Raises OrderNotOfCustomer, OrderLineNotOfOrder (a line needs its order), and
    ValidationError, e.g. for a second open case of the kind about the same order line."""
    if order is not None and order.customer_id != customer.pk:
        raise OrderNotOfCustomer()
    if order_line is not None and (order is None or order_line.order_id != order.pk):
        raise OrderLineNotOfOrder()
    now = timezone.now()
    case = Case(
        customer=customer,
        order=order,
        order_line=order_line,
        kind=kind,
        subject=subject,
        channel=channel,
        priority=priority,
        language=language or customer.language,
        team=team,
        created_at=now,
        updated_at=now,
    )
    routed = routing.case_route(case=case)
    sla.sla_on_open(case=case, now=now)
    case.full_clean()
    case.save()
    timeline.case_created_event(case=case, actor=actor)
    if "team" in routed:
        timeline.team_changed_event(case=case, actor=None, previous_id=None)
    if "assignee" in routed:
        timeline.assigned_event(case=case, actor=None, previous_id=None)
    if link is not None:
        link(case)
    notify(customer=customer, event="case_received", key=case.number, case=case)
    if description:
        message_add(
            case=case,
            body=description,
            author_kind="customer",
            actor=None,
            attachments=attachments,
        )
        case.refresh_from_db()
    return case


@transaction.atomic
def case_answered(*, case: Case, reason: str = "") -> Case:
    """A scenario's decision, emailed to the customer, answers them as an agent's public reply
    does (a return approved with its label, or rejected): it stops the first- and
    next-response clocks. The case as it is now, locked; the scenario's own event records the
    decision.

    With `reason` (a stable code, `declared_lost`), a *new* case also moves to *open*: it is
    being worked. That is the system's move, with no status email on top of the scenario's."""
    case = case_lock_current(case=case)
    fields = sla.sla_on_agent_reply(case=case, now=timezone.now())
    if fields:
        case_save(case=case, fields=fields)
    if reason and case.status == Case.Status.NEW:
        case = case_transition_by_system(
            case=case, to=Case.Status.OPEN, reason=reason, tell_customer=False
        )
    return case


@transaction.atomic
def case_assign(*, case: Case, assignee: Actor, actor: Actor) -> Case:
    """Give `case` to `assignee` (None: back to the queue)."""
    case = case_lock(case=case)
    previous_id = case.assignee_id
    if previous_id == (assignee.pk if assignee else None):
        return case
    case.assignee = assignee
    case_save(case=case, fields=("assignee",))
    timeline.assigned_event(case=case, actor=actor, previous_id=previous_id)
    return case


@transaction.atomic
def case_set_team(*, case: Case, team: Team | None, actor: Actor) -> Case:
    """Route `case` to `team` (None: no team). Which agents see it may change with it."""
    case = case_lock(case=case)
    previous_id = case.team_id
    if previous_id == (team.pk if team else None):
        return case
    case.team = team
    case_save(case=case, fields=("team",))
    timeline.team_changed_event(case=case, actor=actor, previous_id=previous_id)
    return case


@transaction.atomic
def case_set_priority(*, case: Case, priority: str, actor: Actor) -> Case:
    """Change the priority; the SLA targets follow the new priority's policy
    (tickets.services.sla.sla_on_priority)."""
    case = case_lock(case=case)
    if case.priority == priority:
        return case
    previous, case.priority = case.priority, priority
    case.full_clean(exclude=["customer", "order", "assignee", "team"])
    sla_fields = sla.sla_on_priority(case=case, previous=previous)
    case_save(case=case, fields=("priority", *sla_fields))
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
    case = case_lock(case=case)
    wanted = {name.strip().lower() for name in names if name.strip()}
    current = set(case.tags.values_list("name", flat=True))
    if wanted == current:
        return case
    for name in wanted - current:
        Tag(name=name).full_clean(validate_unique=False)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in sorted(wanted)]
    case.tags.set(tags)
    case_save(case=case)
    timeline.tags_changed_event(
        case=case, actor=actor, added=sorted(wanted - current), removed=sorted(current - wanted)
    )
    return case
