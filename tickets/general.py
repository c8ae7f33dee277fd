"""The `general` kind, which `tickets` owns itself: questions that fit none of the three
scenarios (an invoice, an address change, the warranty). Registered in the scenario registry
from TicketsConfig.ready() like any scenario app's kind (tickets/scenarios.py).

In the portal it is the wizard's "Something else" branch, and it stands in for the scenario
branches whose own form is not built yet (tickets/portal/pages.py). It has no workspace panel of
its own. It adds the customer's status history and next step, a clock for answering the
customer, and one guard: money promised to the customer is paid before the case is resolved."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Case, Compensation
from tickets.scenarios import Clock, EventMatch, Milestone, NextStep, PortalEntry, Scenario, Text
from tickets.services.timeline import Verb

# Compensation the customer was told about but has not received yet.
UNSETTLED_COMPENSATION = (Compensation.Status.PROPOSED, Compensation.Status.APPROVED)


def _status(status: str) -> EventMatch:
    return EventMatch(Verb.STATUS_CHANGED, {"status": status})


def compensation_settled(case: Case, to: str) -> Text | None:
    """Guard: a case is not resolved while a compensation is proposed or approved but not
    issued (a failed one may stay: the agent settles it another way)."""
    if to != Case.Status.RESOLVED:
        return None
    if case.compensations.filter(status__in=UNSETTLED_COMPENSATION).exists():
        return _(
            "This case has a compensation that is not issued yet. Issue it (or have it "
            "approved first) before resolving the case."
        )
    return None


def answer_due(case: Case) -> datetime | None:
    """When we promise the customer our next answer: the case's soonest running SLA due time
    (`Case.sla_due`, which counts their unanswered message too), or None while its clocks
    stand still (waiting on the customer, the carrier or a return) and once that time has
    passed: a date already gone would read as a promise broken."""
    due = case.sla_due
    return due if due is not None and due > timezone.now() else None


# What the customer reads while the case waits (the status emails say the same).
WAITING_STEPS: dict[str, Text] = {
    Case.Status.WAITING_ON_CUSTOMER: _("We are waiting for your reply."),
    Case.Status.WAITING_ON_RETURN: _(
        "We are waiting for your return parcel. As soon as it arrives, we will check it and let "
        "you know how we will put things right."
    ),
    Case.Status.WAITING_ON_CARRIER: _(
        "We have contacted the carrier about your parcel and will update you as soon as we hear "
        "back."
    ),
}


def general_next_step(case: Case) -> NextStep | None:
    """From the status and the SLA due times: what we wait for, when we answer, or when a
    solved case closes by itself (cases_autoclose)."""
    waiting = WAITING_STEPS.get(case.status)
    if waiting is not None:
        return NextStep(waiting)
    if case.status == Case.Status.RESOLVED and case.resolved_at is not None:
        # cases_autoclose waits for both to be that old.
        quiet_since = max(case.resolved_at, case.updated_at)
        closes = quiet_since + timedelta(days=settings.CASE_AUTOCLOSE_DAYS)
        return NextStep(_("Closes on %(date)s unless you reply."), closes)
    if case.status not in Case.ACTIVE_STATUSES:
        return None
    due = answer_due(case)
    if due is None:
        return NextStep(_("We will answer you as soon as we can."))
    return NextStep(_("We will answer by %(date)s"), due)


GENERAL = Scenario(
    kind=Case.Kind.GENERAL,
    label=Case.Kind.GENERAL.label,
    portal=(
        PortalEntry(
            key="other",
            title=_("Something else"),
            description=_("A question about your order, an invoice or anything else."),
            position=50,
            per_line=False,
            url_name="tickets:portal-case-new",
        ),
    ),
    next_step=general_next_step,
    milestones=(
        Milestone(EventMatch(Verb.CREATED), _("We received your request")),
        Milestone(_status(Case.Status.WAITING_ON_CUSTOMER), _("We asked you for more information")),
        Milestone(_status(Case.Status.RESOLVED), _("Your question was answered")),
        Milestone(_status(Case.Status.CLOSED), _("Case closed")),
    ),
    clocks=(
        Clock(
            name="reply",
            label=_("Reply to the customer"),
            start=EventMatch(Verb.MESSAGE_ADDED, {"author": "customer"}),
            stop=EventMatch(Verb.MESSAGE_ADDED, {"author": "agent", "visibility": "public"}),
            duration=timedelta(days=1),
        ),
    ),
    guards=(compensation_settled,),
)
