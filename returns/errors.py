"""Domain errors of the returns app. A `Conflict` (a claim for units already claimed, a move the
RMA's status does not allow) is a 409; `ClaimInvalid` is a 400 naming each field at fault."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from returns.models import ReturnRequest
from tickets.errors import ApplicationError, Conflict


@dataclass(frozen=True)
class Problem:
    """One reason a claim is refused: `field` as the API names it ("lines[0].quantity",
    "photos"), a stable `code`, and a message for the customer with the date or rule."""

    field: str
    code: str
    message: str


class ClaimInvalid(ApplicationError):
    """The claim cannot be made as asked; nothing was created."""

    code = "claim_invalid"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(" ".join(problem.message for problem in problems))
        self.problems = problems

    def field_errors(self) -> dict[str, list[str]]:
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(problem.field, []).append(problem.message)
        return errors


class AlreadyClaimed(Conflict):
    """The units are in another return request already; `rma` names it."""

    code = "already_claimed"

    def __init__(self, *, rma: str, title: str, field: str = "") -> None:
        super().__init__(
            _(
                "You already asked to send back “%(title)s”: see return %(rma)s. We cannot "
                "take the same items twice."
            )
            % {"title": title, "rma": rma},
            rma=rma,
        )
        self.rma = rma
        self.field = field


class InvalidReturnTransition(Conflict):
    code = "invalid_transition"

    def __init__(self, *, rma: str, current: str, target: str) -> None:
        super().__init__(
            _("Return %(rma)s is “%(current)s”: it cannot become “%(target)s”.")
            % {
                "rma": rma,
                "current": ReturnRequest.Status(current).label,
                "target": ReturnRequest.Status(target).label,
            },
            current=current,
            target=target,
        )


class ReasonRequired(ApplicationError):
    code = "reason_required"

    def __init__(self) -> None:
        super().__init__(_("Say why, in words the customer understands."))


class NoRefundToStart(Conflict):
    """The request has no approved refund waiting for its money: none was decided, it waits
    for a supervisor, or it is under way or paid already."""

    code = "no_refund_to_start"
    REASONS = {
        "none": gettext_lazy("Return %(rma)s has no refund to pay."),
        "proposed": gettext_lazy("The refund of %(rma)s waits for a supervisor's approval."),
        "under_way": gettext_lazy("The refund of %(rma)s is under way already."),
        "issued": gettext_lazy("The refund of %(rma)s was paid already."),
    }

    def __init__(self, *, rma: str, reason: str) -> None:
        text = self.REASONS.get(reason, _("The refund of %(rma)s cannot be paid now."))
        super().__init__(str(text) % {"rma": rma}, rma=rma, reason=reason)


class RefundNotPending(Conflict):
    code = "refund_not_pending"

    def __init__(self, *, rma: str, current: str) -> None:
        super().__init__(
            _("This refund of %(rma)s is no longer pending; reload the page.") % {"rma": rma},
            rma=rma,
            current=current,
        )


class NothingToShipBack(Conflict):
    code = "nothing_to_ship_back"

    def __init__(self, *, rma: str) -> None:
        super().__init__(
            _(
                "Return %(rma)s has nothing to send back: it is not a resolved exchange, "
                "replacement or repair, or its parcel left already."
            )
            % {"rma": rma},
            rma=rma,
        )
