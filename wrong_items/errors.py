"""Domain errors of wrong_items. A `Conflict` (the report or case does not allow the request
now) is a 409, any other ApplicationError a 400."""

from django.utils.translation import gettext as _

from tickets.errors import ApplicationError, Conflict


class WrongItemConflict(Conflict):
    code = "wrong_item_conflict"


class LineNotShipped(WrongItemConflict):
    code = "line_not_shipped"

    def __init__(self) -> None:
        super().__init__(
            _(
                "This item has not been shipped yet, so it cannot have arrived wrong. If the "
                "order is wrong, please write to us with the general form."
            )
        )


class LineAlreadyReported(WrongItemConflict):
    code = "line_already_reported"

    def __init__(self, case_number: str) -> None:
        super().__init__(
            _("This item was already reported as wrong in case %(number)s.")
            % {"number": case_number},
            case=case_number,
        )


class PhotosRequired(ApplicationError):
    code = "photos_required"

    def __init__(self) -> None:
        super().__init__(_("Please add at least one photo of the item you received."))


class AlreadyReshipped(WrongItemConflict):
    code = "already_reshipped"

    def __init__(self, tracking_number: str) -> None:
        super().__init__(
            _("The right item was already sent, tracking number %(number)s.")
            % {"number": tracking_number}
        )


class AlreadyRefunded(WrongItemConflict):
    code = "already_refunded"

    def __init__(self) -> None:
        super().__init__(_("A refund for this item is already recorded."))


class OutcomeAlreadySet(WrongItemConflict):
    code = "item_outcome_set"

    def __init__(self, outcome: str) -> None:
        super().__init__(
            _("It is already decided what happens to the wrong item: %(outcome)s.")
            % {"outcome": outcome}
        )


class ReshipAlreadyApproved(WrongItemConflict):
    code = "reship_already_approved"

    def __init__(self) -> None:
        super().__init__(
            _(
                "The express reshipment is already approved; enter its tracking number once it "
                "ships."
            )
        )


class ProposalNotWaiting(WrongItemConflict):
    code = "proposal_not_waiting"

    def __init__(self, state: str) -> None:
        super().__init__(
            _("There is no proposal waiting on this report (%(state)s).") % {"state": state}
        )


class DiscountPushFailed(ApplicationError):
    code = "discount_push_failed"

    def __init__(self, reason: str) -> None:
        super().__init__(
            _("The shop did not take the discount code: %(reason)s") % {"reason": reason}
        )
