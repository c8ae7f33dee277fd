"""Cases waiting on the carrier wake up when the carrier moves: a parcel's new status (a
delivery, a failed attempt, customs, lost, ...) is the carrier's answer, so its cases waiting on
the carrier are open again, on the agents' lists with their clocks running, instead of waiting
until someone remembers them. The customer hears of the news from the milestone update or the
finding, not from a second status email."""

import logging
from collections.abc import Sequence

from shipments.signals import StatusChange
from tickets.errors import InvalidTransition, TransitionRefused
from tickets.models import Case
from tickets.services.cases import case_transition_by_system

logger = logging.getLogger(__name__)


def carrier_answered(*, changes: Sequence[StatusChange]) -> int:
    """Open the cases waiting on the carrier of the parcels in `changes`: their shipment-issue
    case and the case they were sent for (called inside the transaction that moved them, once
    per batch: no query when no parcel with a case moved); how many cases opened."""
    news: dict[int, str] = {}
    for change in changes:
        for case_id in (change.issue_case_id, change.case_id):
            if case_id:
                news[case_id] = change.status
    if not news:
        return 0
    waiting = Case.objects.filter(pk__in=news, status=Case.Status.WAITING_ON_CARRIER).order_by("pk")
    opened = 0
    for case in waiting:
        try:
            case_transition_by_system(
                case=case,
                to=Case.Status.OPEN,
                reason=f"parcel_{news[case.pk]}",
                tell_customer=False,
            )
        except (InvalidTransition, TransitionRefused) as refused:
            # A scenario's guard keeps the case where it is; the parcel's news is stored anyway.
            logger.info("Case %s stays waiting on the carrier: %s", case.number, refused)
            continue
        opened += 1
    return opened
