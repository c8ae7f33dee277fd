"""The case status machine: the one place a case's status changes (DESIGN.md, "The shared case").

Three ways in, one set of rules. A person's move (`case_transition`) names the version they saw;
a system move (`case_transition_by_system`: a task, a tracking event) acts on the case as it is
now; the auto-close (`cases_autoclose`) moves many quiet cases at once. Each is checked against
`Case.TRANSITIONS` and then against the guards of the case kind's scenario
(tickets.scenarios), made under the row lock, and recorded on the timeline: a person's move with
its actor, a system move with no actor and `timeline.BY_SYSTEM` in the event's data."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.errors import InvalidTransition, TransitionRefused
from tickets.models import Case
from tickets.scenarios import kinds_with_guards, transition_refusal
from tickets.services import sla, timeline
from tickets.services.case_rows import case_lock, case_lock_current, case_save
from tickets.services.notifications import notify
from tickets.services.ratings import rating_links
from tickets.services.timeline import Actor

# The moves a customer hears about, and the notification each one sends.
CUSTOMER_STATUS_EVENTS: dict[str, str] = {
    Case.Status.WAITING_ON_CUSTOMER: "case_status_changed",
    Case.Status.WAITING_ON_RETURN: "case_status_changed",
    Case.Status.WAITING_ON_CARRIER: "case_status_changed",
    Case.Status.RESOLVED: "case_resolved",
}


def transition_check(*, case: Case, to: str) -> None:
    """Refuse moving `case` to `to`: InvalidTransition for a move not in Case.TRANSITIONS,
    TransitionRefused with the reason of the first guard of its scenario that objects."""
    if to not in Case.TRANSITIONS[case.status]:
        raise InvalidTransition(case.status, to)
    reason = transition_refusal(case=case, to=to)
    if reason:
        raise TransitionRefused(reason, current=case.status, target=to)


@transaction.atomic
def case_transition(*, case: Case, to: str, actor: Actor, reason: str = "") -> Case:
    """Move `case` to status `to` for `actor` (None: the customer).

    Raises InvalidTransition, TransitionRefused (a scenario's guard, with its reason) and
    StaleVersion when the case changed since it was read."""
    return _move(case_lock(case=case), to=to, actor=actor, reason=reason, system=False)


@transaction.atomic
def case_transition_by_system(
    *, case: Case, to: str, reason: str, tell_customer: bool = True
) -> Case:
    """Move `case` to `to` for the system (a task, a tracking event): no actor and no version,
    the case as it is now, locked. `reason` is a stable code saying why (`parcel_delivered`).
    `tell_customer=False` sends no status email: for a scenario's move whose own email says
    it (the return label's steps).

    A case already in `to` is left as it is, so a repeated event moves nothing twice. Raises
    InvalidTransition and TransitionRefused like case_transition."""
    current = case_lock_current(case=case)
    if current.status == to:
        return current
    return _move(
        current, to=to, actor=None, reason=reason, system=True, tell_customer=tell_customer
    )


def _move(
    case: Case, *, to: str, actor: Actor, reason: str, system: bool, tell_customer: bool = True
) -> Case:
    """Make the move on the locked row `case`: check, stamp, save, record, notify."""
    transition_check(case=case, to=to)
    previous, case.status = case.status, to
    now = timezone.now()
    if to == Case.Status.RESOLVED:
        case.resolved_at = now
    elif to == Case.Status.CLOSED:
        case.closed_at = now
    elif previous == Case.Status.RESOLVED:
        case.resolved_at = None
    sla_fields = sla.sla_on_status(case=case, previous=previous, now=now)
    case_save(case=case, fields=("status", "resolved_at", "closed_at", *sla_fields))
    event = timeline.status_changed_event(
        case=case, actor=actor, previous=previous, reason=reason, system=system
    )
    if tell_customer and to in CUSTOMER_STATUS_EVENTS:
        notify(
            customer=case.customer,
            event=CUSTOMER_STATUS_EVENTS[to],
            key=f"{case.number}:{event.pk}",
            case=case,
            context={"rating_links": rating_links(case)} if to == Case.Status.RESOLVED else {},
        )
    return case


def case_close_merged(*, case: Case) -> Case:
    """Close `case`, a duplicate just merged into another case, from whatever status it has:
    the one move outside Case.TRANSITIONS, because the work goes on in the other case, not
    because this one was resolved. A system move (reason "merged"); the customer is not told
    here (the merge tells them). Call it inside the merge's transaction on the locked row."""
    previous, now = case.status, timezone.now()
    case.status = Case.Status.CLOSED
    case.closed_at = now
    case.resolved_at = case.resolved_at or now
    case.sla_due = None
    case_save(case=case, fields=("status", "resolved_at", "closed_at", "sla_due"))
    timeline.status_changed_event(
        case=case, actor=None, previous=previous, reason="merged", system=True
    )
    return case


# One transaction closes at most this many cases: short enough that row locks held on
# PostgreSQL never stall agents for long; the beat schedule runs it again soon after.
AUTOCLOSE_BATCH = 500


def cases_autoclose(*, now: datetime | None = None, batch_size: int = AUTOCLOSE_BATCH) -> int:
    """Close resolved cases quiet for CASE_AUTOCLOSE_DAYS, as system moves; returns how many were
    closed.

    Set-based: one UPDATE and one INSERT of events per batch. The move resolved → closed must
    be in Case.TRANSITIONS (else InvalidTransition, and nothing closes); cases of a kind with
    guards are loaded and asked one by one, and a case a guard keeps stays resolved (it is
    asked again next run). Nobody is notified: customers do not hear about a close."""
    source, target = Case.Status.RESOLVED, Case.Status.CLOSED
    if target not in Case.TRANSITIONS[source]:
        raise InvalidTransition(source, target)
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CASE_AUTOCLOSE_DAYS)
    guarded = kinds_with_guards()
    closed, after = 0, 0
    while True:
        with transaction.atomic():
            # Keyset by pk: a case a guard keeps is not fetched again in this run.
            rows = list(
                Case.objects.select_for_update(skip_locked=True)
                .filter(status=source, resolved_at__lt=cutoff, updated_at__lt=cutoff, pk__gt=after)
                .order_by("pk")
                .values_list("pk", "kind")[:batch_size]
            )
            if not rows:
                return closed
            after = rows[-1][0]
            ids = [pk for pk, kind in rows if kind not in guarded]
            asked = [pk for pk, kind in rows if kind in guarded]
            if asked:
                cases = Case.objects.filter(pk__in=asked).select_related("customer", "order")
                ids += [case.pk for case in cases if not transition_refusal(case=case, to=target)]
            if ids:
                Case.objects.filter(pk__in=ids).update(
                    status=target,
                    closed_at=now,
                    updated_at=now,
                    sla_due=None,
                    version=F("version") + 1,
                )
                timeline.bulk_status_changed_events(
                    case_ids=ids, previous=source, status=target, reason="autoclose"
                )
        closed += len(ids)
