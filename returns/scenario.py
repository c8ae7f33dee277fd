"""What the return and defect kinds add to the spine through the scenario registry
(tickets/scenarios.py), registered in ReturnsConfig.ready(): the customer's status history."""

from django.utils.translation import gettext_lazy as _

from returns.verbs import Verb as ReturnVerb
from tickets.models import Case
from tickets.scenarios import EventMatch, Milestone
from tickets.services.timeline import Verb


def _status(status: str) -> EventMatch:
    return EventMatch(Verb.STATUS_CHANGED, {"status": status})


MILESTONES = (
    Milestone(EventMatch(Verb.CREATED), _("We received your request")),
    Milestone(EventMatch(ReturnVerb.APPROVED), _("Return approved")),
    Milestone(EventMatch(ReturnVerb.REJECTED), _("Return not accepted")),
    Milestone(_status(Case.Status.RESOLVED), _("Solved")),
    Milestone(_status(Case.Status.CLOSED), _("Case closed")),
)
