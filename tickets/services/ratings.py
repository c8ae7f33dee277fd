"""The customer's satisfaction rating of a case, given from the links of the resolution email.

A rating link (/portal/rate/<token>/<score>/) is signed for one resolution of one case: its
token names the case and the instant it was resolved (`resolved_at`). It works while that
resolution stands, and for RATING_LINK_MAX_AGE_DAYS after it was made. Once the case is
reopened (which clears `resolved_at`; resolving it again sets a new one, with new links) or
closed, the link is void. Opening a link shows a confirm page and changes nothing: mail
scanners fetch every link of an email, and a GET that rated would let the last of them win.
Only the customer's POST from that page rates."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Case
from tickets.services import timeline

SCORES = range(1, 6)
RATING_SALT = "case-rating"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class InvalidRating(ApplicationError):
    code = "invalid_rating"

    def __init__(self, score: object) -> None:
        super().__init__(
            _("A rating is a whole number from 1 to 5, not “%(score)s”.") % {"score": score},
            score=score,
        )


class RatingLinkInvalid(ApplicationError):
    """A forged or mangled link, or one for a case that no longer exists: no case to name."""

    code = "rating_link_invalid"

    def __init__(self) -> None:
        super().__init__(_("This rating link is not valid."))


class RatingLinkExpired(ApplicationError):
    """A genuine link older than RATING_LINK_MAX_AGE_DAYS."""

    code = "rating_link_expired"

    def __init__(self, case: Case) -> None:
        super().__init__(_("This rating link has expired."), number=case.number)
        self.case = case


class RatingLinkVoid(ApplicationError):
    """A genuine link whose resolution no longer stands: the case was reopened (and perhaps
    resolved again, with new links) or closed. `reason` is "reopened" or "closed"."""

    code = "rating_link_void"

    def __init__(self, case: Case, reason: str) -> None:
        super().__init__(
            _("This rating link no longer works: the case is closed.")
            if reason == "closed"
            else _("This rating link no longer works: the case was reopened."),
            number=case.number,
            reason=reason,
        )
        self.case = case
        self.reason = reason


@dataclass(frozen=True)
class RatingClaim:
    """What a genuine token says: the case number and its resolution (None for a link made
    before links named their resolution)."""

    number: str
    resolution: int | None


def _resolution(resolved_at: datetime | None) -> int | None:
    """`resolved_at` in whole microseconds since 1970: exact, unlike a float timestamp."""
    return None if resolved_at is None else (resolved_at - _EPOCH) // timedelta(microseconds=1)


def _rating_token(case: Case) -> str:
    return signing.dumps(
        f"{case.number}.{_resolution(case.resolved_at)}", salt=RATING_SALT, compress=True
    )


def rating_links(case: Case) -> list[tuple[int, str]]:
    """(score, link) for 1 to 5, for the email that tells the customer `case` is resolved;
    call it after `resolved_at` is set."""
    token = _rating_token(case)
    return [(score, f"{settings.SITE_URL}/portal/rate/{token}/{score}/") for score in SCORES]


def rating_claim(token: str) -> RatingClaim | None:
    """What a rating token says, whatever its age; None for a forged or mangled token."""
    try:
        payload = signing.loads(token, salt=RATING_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, str):
        return None
    number, _dot, resolution = payload.partition(".")
    return RatingClaim(number, int(resolution) if resolution.isdigit() else None)


def case_number_from_rating_token(token: str) -> str | None:
    """The case a rating link was made for; None for a forged or mangled link."""
    claim = rating_claim(token)
    return claim.number if claim else None


def rating_link_case(*, token: str, lock: bool = False) -> Case:
    """The case whose rating link `token` still works (locked for update when `lock`).

    Raises RatingLinkInvalid for a forged token or a case that no longer exists,
    RatingLinkExpired for a link older than RATING_LINK_MAX_AGE_DAYS, RatingLinkVoid when the
    resolution it was made for no longer stands (reopened since, or closed)."""
    claim = rating_claim(token)
    cases = Case.objects.select_for_update() if lock else Case.objects.all()
    case = cases.filter(number=claim.number).first() if claim else None
    if claim is None or case is None:
        raise RatingLinkInvalid()
    try:
        signing.loads(
            token, salt=RATING_SALT, max_age=timedelta(days=settings.RATING_LINK_MAX_AGE_DAYS)
        )
    except signing.SignatureExpired as exc:
        raise RatingLinkExpired(case) from exc
    if case.status == Case.Status.CLOSED:
        raise RatingLinkVoid(case, "closed")
    if case.status != Case.Status.RESOLVED or claim.resolution != _resolution(case.resolved_at):
        raise RatingLinkVoid(case, "reopened")
    return case


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


@transaction.atomic
def case_rate_by_link(*, token: str, score: int) -> Case:
    """The customer's `score` for the case of rating link `token`, checked under the case's
    lock so that a reopening at the same moment either comes first (and the link is void) or
    after (and the rating stands).

    Raises what rating_link_case and case_rate raise."""
    return case_rate(case=rating_link_case(token=token, lock=True), score=score)
