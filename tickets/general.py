"""The `general` kind, which `tickets` owns itself: questions that fit none of the three
scenarios (an invoice, an address change, the warranty). Registered in the scenario registry
from TicketsConfig.ready() like any scenario app's kind (tickets/scenarios.py).

It is not offered in the portal (customers reach it by email, agents and the API open it) and
has no workspace panel of its own. It adds the customer's status history, a clock for answering
the customer, and one guard: money promised to the customer is paid before the case is
resolved."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from tickets.models import Case, Compensation
from tickets.scenarios import Clock, EventMatch, Milestone, Scenario, Text
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


GENERAL = Scenario(
    kind=Case.Kind.GENERAL,
    label=Case.Kind.GENERAL.label,
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
