"""Domain errors of the shipments app. Views turn them into 4xx answers: a `Conflict` (the
shipment or claim is not in a state that allows the request) is a 409, any other a 400."""

from django.utils.translation import gettext as _

from tickets.errors import ApplicationError, Conflict


class ShipmentConflict(Conflict):
    """The request does not fit where the shipment or claim stands now (409)."""

    code = "shipment_conflict"


class AlreadyDelivered(ShipmentConflict):
    code = "already_delivered"

    def __init__(self, tracking_number: str) -> None:
        super().__init__(
            _("Parcel %(number)s was delivered: it cannot be declared lost.")
            % {"number": tracking_number}
        )


class ParcelOfAnotherCase(ShipmentConflict):
    code = "parcel_of_another_case"

    def __init__(self, tracking_number: str, case_number: str) -> None:
        super().__init__(
            _("Parcel %(number)s is already the parcel of case %(case)s.")
            % {"number": tracking_number, "case": case_number}
        )


class CaseHasParcel(ShipmentConflict):
    code = "case_has_parcel"

    def __init__(self) -> None:
        super().__init__(_("This case is already about a parcel."))


class AlreadyDeclaredLost(ShipmentConflict):
    code = "already_declared_lost"

    def __init__(self, tracking_number: str) -> None:
        super().__init__(
            _("Parcel %(number)s is already declared lost.") % {"number": tracking_number}
        )


class NotDeclaredLost(ShipmentConflict):
    code = "not_declared_lost"

    def __init__(self, tracking_number: str) -> None:
        super().__init__(
            _("Parcel %(number)s is not declared lost, so there is nothing to choose yet.")
            % {"number": tracking_number}
        )


class NotToCustomer(ShipmentConflict):
    code = "not_to_customer"

    def __init__(self) -> None:
        super().__init__(_("Only a parcel on its way to the customer can be declared lost."))


class OutcomeAlreadyChosen(ShipmentConflict):
    code = "outcome_already_chosen"

    def __init__(self, chosen: str) -> None:
        super().__init__(
            _("This was already settled: %(chosen)s. It cannot be chosen again.")
            % {"chosen": chosen},
            chosen=chosen,
        )


class ReplacementNotChosen(ShipmentConflict):
    code = "replacement_not_chosen"

    def __init__(self) -> None:
        super().__init__(_("A replacement was not chosen for this parcel."))


class ReplacementAlreadyShipped(ShipmentConflict):
    code = "replacement_already_shipped"

    def __init__(self, tracking_number: str) -> None:
        super().__init__(
            _("The replacement is already on its way as parcel %(number)s.")
            % {"number": tracking_number}
        )


class ClaimRefused(ShipmentConflict):
    """A claim cannot be filed for this shipment now; the message says why."""

    code = "claim_refused"


class ClaimDeadlinePassed(ClaimRefused):
    code = "claim_deadline_passed"

    def __init__(self, deadline: str) -> None:
        super().__init__(
            _("The deadline to file a claim with this carrier was %(date)s; it has passed.")
            % {"date": deadline},
            deadline=deadline,
        )


class InvalidClaimTransition(ShipmentConflict):
    code = "invalid_claim_transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            _("A claim that is “%(current)s” cannot become “%(target)s”.")
            % {"current": current, "target": target},
        )


class ClaimProviderError(ApplicationError):
    """The claims provider could not be reached or refused the request (nothing was stored)."""

    code = "claim_provider_error"
