"""Reads of the agent's case workspace: the case with its context (customer, past cases,
order lines) and its timeline (messages, events and notifications, merged, newest last).

Every read goes through the visibility rule (case_visible_to) of the user asking, and each
costs a fixed number of queries however long the case's history is: the timeline reads at most
TIMELINE_LIMIT + 1 rows of each kind and merges them in Python."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Prefetch
from django.utils import timezone

from tickets.models import (
    Attachment,
    Case,
    CaseEvent,
    Message,
    Notification,
    OrderLine,
    Team,
)

from .access import AnyUser, case_visible_to
from .counts import Tally
from .staff import users_named

# The newest entries the timeline shows at once; "show earlier" pages back from the oldest.
TIMELINE_LIMIT = 50
PAST_CASES_SHOWN = 5
# The customer's other cases are counted exactly up to this, "100+" beyond.
PAST_CASES_COUNT_CAP = 100


def workspace_case_get(*, number: str, user: AnyUser) -> Case | None:
    """The case `number` if `user` sees it, with its customer and order (one query), or None.
    The page names its assignee and team from the cached staff (selectors/staff.py): joining
    them too doubled the time PostgreSQL takes to plan the query. Read with get(), which does
    not order: first() sorts by Case's default ordering, whose compiling and planning cost a
    seventh of this read, for the one case a unique number names."""
    try:
        return (
            Case.objects.filter(case_visible_to(user), number=number)
            .select_related("customer", "order")
            .get()
        )
    except Case.DoesNotExist:
        return None


def workspace_case_version(*, case: Case) -> int:
    """The version of `case` as it is stored now."""
    return Case.objects.filter(pk=case.pk).values_list("version", flat=True).get()


def case_latest_event(*, case: Case) -> CaseEvent | None:
    """The newest event of `case` with its actor: who changed it last, and how."""
    return (
        CaseEvent.objects.filter(case=case)
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


def customer_past_cases(*, case: Case, user: AnyUser) -> tuple[list[Case], Tally]:
    """The newest PAST_CASES_SHOWN other cases of `case`'s customer that `user` sees, and how
    many there are: exact up to PAST_CASES_COUNT_CAP, else that many and `exact` False ("100+").
    One query, which reads at most PAST_CASES_COUNT_CAP + 1 rows: most customers have a case or
    two, and a count of its own cost a second query on every page of one who has more."""
    others = list(
        Case.objects.filter(case_visible_to(user), customer_id=case.customer_id)
        .exclude(pk=case.pk)
        .only("number", "subject", "status", "kind", "created_at")
        .order_by("-created_at", "-pk")[: PAST_CASES_COUNT_CAP + 1]
    )
    if len(others) > PAST_CASES_COUNT_CAP:
        return others[:PAST_CASES_SHOWN], Tally(PAST_CASES_COUNT_CAP, exact=False)
    return others[:PAST_CASES_SHOWN], Tally(len(others), exact=True)


def order_lines(*, case: Case) -> list[OrderLine]:
    """The items of `case`'s order (none without an order), in their order."""
    if case.order_id is None:
        return []
    return list(OrderLine.objects.filter(order_id=case.order_id, removed_at__isnull=True))


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: `kind` is "message", "event" or "notification"."""

    kind: str
    at: datetime
    pk: int
    item: Any

    @property
    def sort_key(self) -> tuple[datetime, int, int]:
        # At the same instant a message comes before the notifications it caused.
        return (self.at, {"event": 0, "message": 1, "notification": 2}[self.kind], self.pk)


@dataclass(frozen=True)
class Timeline:
    entries: list[Entry]
    # The time to page back from ("show earlier"), or None when nothing is older.
    earlier_before: datetime | None
    # User and team names the entries mention by id (authors, actors, whom events name).
    users: dict[int, AbstractBaseUser]
    teams: dict[int, str]


# Message events repeat the message itself, which the timeline shows.
_HIDDEN_VERBS = ("message_added",)


def case_timeline(
    *,
    case: Case,
    before: datetime | None = None,
    users: dict[int, AbstractBaseUser] | None = None,
    teams: dict[int, str] | None = None,
) -> Timeline:
    """The newest TIMELINE_LIMIT entries of `case`'s timeline (older than `before`, if given),
    oldest first, with the names of the people and teams its entries mention: the messages'
    authors, the events' actors and whom they assigned. `users` and `teams` are names the
    caller has already read (the controls' choices); only others are read, in one query each.
    A fixed number of queries: at most TIMELINE_LIMIT + 1 rows of each kind."""
    limit = TIMELINE_LIMIT + 1
    # A plain list per message (to_attr): a related manager's queryset per message cost more
    # than the attachments' one query.
    attachments = Prefetch(
        "attachments",
        queryset=Attachment.objects.only("message", "filename", "content_type", "size"),
        to_attr="attachment_list",
    )
    # The authors and actors come from `users` (else one query for those missing below), not
    # a join each: the joins cost PostgreSQL more to plan than the rows cost to read.
    messages = (
        Message.objects.filter(case=case)
        .prefetch_related(attachments)
        .order_by("-created_at", "-pk")
    )
    events = (
        CaseEvent.objects.filter(case=case)
        .exclude(verb__in=_HIDDEN_VERBS)
        .order_by("-created_at", "-pk")
    )
    notifications = (
        Notification.objects.filter(case=case)
        .defer("body", "body_html")
        .order_by("-created_at", "-pk")
    )
    if before is not None:
        messages = messages.filter(created_at__lt=before)
        events = events.filter(created_at__lt=before)
        notifications = notifications.filter(created_at__lt=before)
    entries = [Entry("message", m.created_at, m.pk, m) for m in messages[:limit]]
    entries += [Entry("event", e.created_at, e.pk, e) for e in events[:limit]]
    entries += [Entry("notification", n.created_at, n.pk, n) for n in notifications[:limit]]
    entries.sort(key=lambda entry: entry.sort_key, reverse=True)
    shown, older = entries[:TIMELINE_LIMIT], entries[TIMELINE_LIMIT:]
    shown.reverse()
    user_ids, team_ids = set(), set()
    for entry in shown:
        if entry.kind == "message":
            user_ids.add(entry.item.author_user_id)
        if entry.kind != "event":
            continue
        data = entry.item.data
        user_ids.add(entry.item.actor_id)
        if entry.item.verb == "assigned":
            user_ids |= {data.get("assignee"), data.get("previous")}
        elif entry.item.verb == "team_changed":
            team_ids |= {data.get("team"), data.get("previous")}
    users, teams = dict(users or {}), dict(teams or {})
    user_ids -= {None, *users}
    team_ids -= {None, *teams}
    users |= users_named(user_ids)
    if team_ids:
        teams |= dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    for entry in shown:
        if entry.kind == "message" and entry.item.author_user_id in users:
            entry.item.author_user = users[entry.item.author_user_id]
        elif entry.kind == "event" and entry.item.actor_id in users:
            entry.item.actor = users[entry.item.actor_id]
    return Timeline(
        entries=shown,
        earlier_before=shown[0].at if older and shown else None,
        users=users,
        teams=teams,
    )


def notification_waits_for_quiet_hours(notification: Notification) -> bool:
    """A text held back until the customer's quiet hours (SMS_QUIET_HOURS) end."""
    return (
        notification.channel == Notification.Channel.SMS
        and notification.status == Notification.Status.PENDING
        and notification.next_attempt_at > timezone.now()
    )
