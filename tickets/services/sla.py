"""SLA clocks: business-time arithmetic and the state of a case's targets.

A case has up to three targets, each a due time on the row:
- first response (`first_response_due`): runs from opening until the first public agent reply;
- next response (`next_response_due`): the update target of the policy; starts when the
  customer writes after the first response, stops at the next public agent reply;
- resolution (`resolution_due`): runs until the case is resolved.

Clocks pause while the case waits on the customer, the carrier or a return (the customer has to
send the parcel back: waiting on them too) and while it is resolved: `sla_paused_at` is set, and
when the case moves back to open every running due time is pushed forward by the paused time,
counted in the policy's business hours. `Case.sla_due` is the soonest running due time, None
while paused or when nothing runs: the list's order and the breach scan read it.

Minutes count in the business hours of the policy's `calendar` team (its time zone, working
days, start and end of day, and its country's public holidays), around the clock without one.

The functions below change the locked case in memory and return the fields they changed; the
case services (cases.py, messages.py, transitions.py) save them with their own write. This
module sits under all three and imports only models."""

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.models import Case, SLAPolicy, Team

UTC = dt.UTC

# Statuses whose clocks stand still. RESOLVED too: a case reopened after a resolution resumes
# its resolution clock where it stopped, not breached by the days it was solved.
PAUSED_STATUSES = frozenset(
    {
        Case.Status.WAITING_ON_CUSTOMER,
        Case.Status.WAITING_ON_CARRIER,
        Case.Status.WAITING_ON_RETURN,
        Case.Status.RESOLVED,
    }
)

# The farthest business-time arithmetic looks ahead: a calendar with one working hour a week
# still reaches any sensible target within it; a misconfigured one fails loudly, not forever.
_HORIZON_DAYS = 3 * 366


@dataclass(frozen=True)
class Calendar:
    """A team's business hours, detached from the row (hashable, no queries)."""

    zone: ZoneInfo
    days: frozenset[int]
    start: dt.time
    end: dt.time
    country: str = ""

    @classmethod
    def of(cls, team: Team | None) -> "Calendar | None":
        if team is None:
            return None
        return cls(
            zone=ZoneInfo(team.time_zone),
            days=frozenset(team.working_days),
            start=team.day_start,
            end=team.day_end,
            country=team.holiday_country.upper(),
        )


@functools.lru_cache(maxsize=256)
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, years=year).keys())


def _is_working_day(calendar: Calendar, day: dt.date) -> bool:
    if day.weekday() not in calendar.days:
        return False
    return not (calendar.country and day in _holidays(calendar.country, day.year))


def _window(calendar: Calendar, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    # In UTC, so that adding minutes is elapsed time even on a day the clocks change.
    start = dt.datetime.combine(day, calendar.start, tzinfo=calendar.zone).astimezone(UTC)
    end = dt.datetime.combine(day, calendar.end, tzinfo=calendar.zone).astimezone(UTC)
    return start, end


def _windows(
    calendar: Calendar, around: dt.datetime, *, backwards: bool = False
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """The working windows of `calendar` from the local day before `around` onwards (or from
    the day after it backwards)."""
    day = around.astimezone(calendar.zone).date()
    step = dt.timedelta(days=-1 if backwards else 1)
    day -= step
    for _ in range(_HORIZON_DAYS):
        if _is_working_day(calendar, day):
            yield _window(calendar, day)
        day += step
    raise ValueError("The calendar has no working time within three years.")


def business_add(start: dt.datetime, minutes: float, calendar: Calendar | None) -> dt.datetime:
    """The instant `minutes` of working time after `start` (elapsed time without a calendar).
    With 0 minutes: `start` if it is working time, else the next working instant."""
    if calendar is None:
        return start.astimezone(UTC) + dt.timedelta(minutes=minutes)
    # Arithmetic on an aware datetime in a zone with DST is wall-clock arithmetic: in UTC only.
    start = start.astimezone(UTC)
    left = dt.timedelta(minutes=minutes)
    for begin, end in _windows(calendar, start):
        if end <= start:
            continue
        begin = max(begin, start)
        if begin + left <= end:
            return begin + left
        left -= end - begin
    raise AssertionError("unreachable")  # pragma: no cover


def business_subtract(end: dt.datetime, minutes: float, calendar: Calendar | None) -> dt.datetime:
    """The instant `minutes` of working time before `end`."""
    if calendar is None:
        return end.astimezone(UTC) - dt.timedelta(minutes=minutes)
    end = end.astimezone(UTC)
    left = dt.timedelta(minutes=minutes)
    for begin, finish in _windows(calendar, end, backwards=True):
        if begin >= end:
            continue
        finish = min(finish, end)
        if finish - left >= begin:
            return finish - left
        left -= finish - begin
    raise AssertionError("unreachable")  # pragma: no cover


def business_minutes_between(
    start: dt.datetime, end: dt.datetime, calendar: Calendar | None
) -> float:
    """Working minutes from `start` to `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0.0
    if calendar is None:
        return (end - start).total_seconds() / 60
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    total = dt.timedelta()
    for begin, finish in _windows(calendar, start):
        if begin >= end:
            break
        overlap = min(finish, end) - max(begin, start)
        if overlap > dt.timedelta():
            total += overlap
    return total.total_seconds() / 60


def is_working_time(at: dt.datetime, calendar: Calendar | None) -> bool:
    """Whether `at` falls in the calendar's working hours (always, without a calendar)."""
    return calendar is None or business_add(at, 0, calendar) == at


def next_working_time(at: dt.datetime, calendar: Calendar | None) -> dt.datetime:
    """`at` if it is working time, else the start of the next working window."""
    return business_add(at, 0, calendar)


# --- policies ----------------------------------------------------------------------------------


def sla_policy_for(*, kind: str, priority: str) -> SLAPolicy | None:
    """The active policy of `kind` and `priority` with its calendar team, or None (one query)."""
    return (
        SLAPolicy.objects.select_related("calendar")
        .filter(kind=kind, priority=priority, active=True)
        .first()
    )


def sla_due_at_open(
    *, kind: str, priority: str, start: dt.datetime
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """First-response and resolution due times of a case opened at `start`; (None, None) when
    no active policy covers the kind and priority."""
    policy = sla_policy_for(kind=kind, priority=priority)
    if policy is None:
        return None, None
    calendar = Calendar.of(policy.calendar)
    return (
        business_add(start, policy.first_response_minutes, calendar),
        business_add(start, policy.resolution_minutes, calendar),
    )


# --- a case's state ----------------------------------------------------------------------------


def running_targets(case: Case) -> dict[str, dt.datetime]:
    """The targets whose clocks run or stand paused on `case`, by name, with their due times."""
    targets: dict[str, dt.datetime] = {}
    if case.first_responded_at is None and case.first_response_due is not None:
        targets["first_response"] = case.first_response_due
    if case.next_response_due is not None:
        targets["next_response"] = case.next_response_due
    if case.resolved_at is None and case.resolution_due is not None:
        targets["resolution"] = case.resolution_due
    return targets


def _refresh_due(case: Case) -> list[str]:
    previous = case.sla_due
    if case.status not in Case.ACTIVE_STATUSES or case.sla_paused_at is not None:
        case.sla_due = None
    else:
        case.sla_due = min(running_targets(case).values(), default=None)
    return ["sla_due"] if case.sla_due != previous else []


def sla_on_open(*, case: Case, now: dt.datetime) -> None:
    """Set the due times of a new (unsaved) case from its policy."""
    case.first_response_due, case.resolution_due = sla_due_at_open(
        kind=case.kind, priority=case.priority, start=now
    )
    case.next_response_due = None
    case.sla_paused_at = None
    _refresh_due(case)


def sla_on_status(*, case: Case, previous: str, now: dt.datetime) -> list[str]:
    """Pause or resume the clocks of `case`, which just moved from `previous` to its status."""
    fields: list[str] = []
    pausing = case.status in PAUSED_STATUSES or case.status == Case.Status.CLOSED
    if pausing and case.sla_paused_at is None:
        case.sla_paused_at = now
        fields.append("sla_paused_at")
    elif not pausing and case.sla_paused_at is not None:
        policy = sla_policy_for(kind=case.kind, priority=case.priority)
        calendar = Calendar.of(policy.calendar) if policy else None
        paused = business_minutes_between(case.sla_paused_at, now, calendar)
        if paused:
            for name in running_targets(case):
                field = f"{name}_due"
                setattr(case, field, business_add(getattr(case, field), paused, calendar))
                fields.append(field)
        case.sla_paused_at = None
        fields.append("sla_paused_at")
    return fields + _refresh_due(case)


def sla_on_agent_reply(*, case: Case, now: dt.datetime) -> list[str]:
    """A public agent reply: stops the first response (stamps `first_responded_at`) and the
    next response."""
    fields: list[str] = []
    if case.first_responded_at is None:
        case.first_responded_at = now
        fields.append("first_responded_at")
    if case.next_response_due is not None:
        case.next_response_due = None
        fields.append("next_response_due")
    return fields + _refresh_due(case)


def sla_on_customer_message(*, case: Case, now: dt.datetime) -> list[str]:
    """A customer message after the first response starts the next-response clock (if the
    policy has an update target and none runs yet: the oldest unanswered message counts). On a
    case that stays paused the clock starts from the pause, so that resuming starts it."""
    if case.first_responded_at is None or case.next_response_due is not None:
        return []
    if case.status not in Case.ACTIVE_STATUSES:
        return []
    policy = sla_policy_for(kind=case.kind, priority=case.priority)
    if policy is None or policy.next_response_minutes is None:
        return []
    start = case.sla_paused_at or now
    calendar = Calendar.of(policy.calendar)
    case.next_response_due = business_add(start, policy.next_response_minutes, calendar)
    return ["next_response_due", *_refresh_due(case)]


def sla_on_priority(*, case: Case, previous: str) -> list[str]:
    """Targets follow the new priority's policy: a running due time moves by the difference of
    the two policies' minutes (so pauses already pushed in stay), or is counted from opening
    when the old policy had none or another calendar; no active policy: the targets stop."""
    old = sla_policy_for(kind=case.kind, priority=previous)
    new = sla_policy_for(kind=case.kind, priority=case.priority)
    fields = ["first_response_due", "next_response_due", "resolution_due"]
    if new is None:
        case.first_response_due = case.next_response_due = case.resolution_due = None
        if case.first_responded_at is not None:
            fields.remove("first_response_due")
        return fields + _refresh_due(case)
    calendar = Calendar.of(new.calendar)
    same_calendar = old is not None and old.calendar_id == new.calendar_id

    def moved(
        due: dt.datetime | None, before: int | None, after: int | None, start: dt.datetime
    ) -> dt.datetime | None:
        if after is None:
            return None
        if due is None or not same_calendar or before is None:
            return business_add(start, after, calendar)
        if after >= before:
            return business_add(due, after - before, calendar)
        return business_subtract(due, before - after, calendar)

    if case.first_responded_at is None:
        case.first_response_due = moved(
            case.first_response_due,
            old.first_response_minutes if old else None,
            new.first_response_minutes,
            case.created_at,
        )
    else:
        fields.remove("first_response_due")
    if case.resolved_at is None:
        case.resolution_due = moved(
            case.resolution_due,
            old.resolution_minutes if old else None,
            new.resolution_minutes,
            case.created_at,
        )
    if case.next_response_due is not None:
        if new.next_response_minutes is None:
            case.next_response_due = None
        elif old is not None and old.next_response_minutes is not None and same_calendar:
            case.next_response_due = moved(
                case.next_response_due,
                old.next_response_minutes,
                new.next_response_minutes,
                case.created_at,
            )
    return fields + _refresh_due(case)


# --- switching a policy off --------------------------------------------------------------------

# Cases changed per transaction when a policy is switched off: short row locks, so agents
# working those cases are not held up.
POLICY_STOP_BATCH = 1000


def sla_policy_set_active(*, policy: SLAPolicy, active: bool) -> int:
    """Switch `policy` on or off. Off: the targets running on its active cases stop (their due
    times are cleared, so no badge and no alert), in batches; returns how many cases stopped.
    On again: new cases and priority changes get targets; stopped cases stay without."""
    SLAPolicy.objects.filter(pk=policy.pk).update(active=active)
    policy.active = active
    if active:
        return 0
    stopped, after = 0, 0
    while True:
        with transaction.atomic():
            ids = list(
                Case.objects.filter(
                    kind=policy.kind,
                    priority=policy.priority,
                    active=True,
                    pk__gt=after,
                )
                .order_by("pk")
                .values_list("pk", flat=True)[:POLICY_STOP_BATCH]
            )
            if not ids:
                return stopped
            after = ids[-1]
            Case.objects.filter(pk__in=ids, first_responded_at__isnull=True).update(
                first_response_due=None
            )
            Case.objects.filter(pk__in=ids).update(
                next_response_due=None,
                resolution_due=None,
                sla_due=None,
                version=F("version") + 1,
                updated_at=timezone.now(),
            )
        stopped += len(ids)
