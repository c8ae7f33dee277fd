"""The customer's satisfaction rating of a case, given with one click from the email."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Case
from tickets.services import timeline

SCORES = range(1, 6)


class InvalidRating(ApplicationError):
    code = "invalid_rating"

    def __init__(self, score: object) -> None:
        super().__init__(
            _("A rating is a whole number from 1 to 5, not “%(score)s”.") % {"score": score},
            score=score,
        )


@transaction.atomic
def case_rate(*, case: Case, score: int) -> Case:
    """Store the customer's `score` (1 to 5) for `case`, with the time, and record a "rated"
    event. A later different score replaces it; the same score again changes nothing. Neither
    status nor version moves: a rating is no edit an agent could collide with.

    Raises InvalidRating for any other score."""
    if isinstance(score, bool) or score not in SCORES:
        raise InvalidRating(score)
    # Locked so two clicks at once record one change each, in order.
    previous = (
        Case.objects.select_for_update().values_list("satisfaction", flat=True).get(pk=case.pk)
    )
    if previous != score:
        now = timezone.now()
        Case.objects.filter(pk=case.pk).update(satisfaction=score, satisfaction_at=now)
        timeline.rated_event(case=case, score=score, previous=previous)
    case.refresh_from_db(fields=["satisfaction", "satisfaction_at"])
    return case
