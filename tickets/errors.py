"""Domain errors raised by services. Views and the API turn them into 4xx answers."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tickets.models import Case, Compensation


class ApplicationError(Exception):
    """A request the domain refuses; `code` is stable, `message` is for people."""

    code = "application_error"

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return str(self.message)


class Conflict(ApplicationError):
    """The request does not fit where the thing stands now (a 409, in the API and on the
    dashboard's refusal pages); scenario apps derive their conflicts from it."""


class InvalidTransition(ApplicationError):
    code = "invalid_transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            _("A case that is “%(current)s” cannot move to “%(target)s”.")
            % {"current": Case.Status(current).label, "target": Case.Status(target).label},
            current=current,
            target=target,
        )


class TransitionRefused(ApplicationError):
    """A guard of the case's scenario refused the move; the message is the guard's reason."""

    code = "transition_refused"

    def __init__(self, reason: object, *, current: str, target: str) -> None:
        super().__init__(str(reason), current=current, target=target)


class StaleVersion(ApplicationError):
    """Someone else changed the object since it was read; nothing was written."""

    code = "stale_version"

    def __init__(self, number: str) -> None:
        super().__init__(
            _("Case %(number)s was changed by someone else meanwhile. Reload it and try again.")
            % {"number": number},
            number=number,
        )


class NotAllowed(ApplicationError):
    code = "not_allowed"


class CaseClosed(NotAllowed):
    """A closed case takes no new work (a message, a compensation); open a new case instead."""

    code = "case_closed"

    def __init__(self, number: str) -> None:
        super().__init__(_("Case %(number)s is closed.") % {"number": number}, number=number)


class InvalidCompensationTransition(ApplicationError):
    """The compensation's current status does not allow the move; nothing was written."""

    code = "invalid_transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(
            _("A compensation that is “%(current)s” cannot become “%(target)s”.")
            % {
                "current": Compensation.Status(current).label,
                "target": Compensation.Status(target).label,
            },
            current=current,
            target=target,
        )


class MissingExchangeRate(ApplicationError):
    code = "missing_exchange_rate"

    def __init__(self, currency: str) -> None:
        super().__init__(
            _("There is no exchange rate for %(currency)s yet; add one first.")
            % {"currency": currency},
            currency=currency,
        )


class OrderNotOfCustomer(ApplicationError):
    code = "order_not_of_customer"

    def __init__(self) -> None:
        super().__init__(_("That order belongs to another customer."))


class OrderLineNotOfOrder(ApplicationError):
    code = "order_line_not_of_order"

    def __init__(self) -> None:
        super().__init__(_("That item is not part of this order."))


class CaseAlreadyOpen(ApplicationError):
    """The customer already has an open case of this kind about this item; `case` is it."""

    code = "case_already_open"

    def __init__(self, case: Case) -> None:
        super().__init__(
            _("You already have an open case about this item: %(number)s. Add anything new here.")
            % {"number": case.number},
            number=case.number,
        )
        self.case = case


class AttachmentTooLarge(ApplicationError):
    code = "attachment_too_large"


class EvidenceRefused(ApplicationError):
    """An uploaded file we do not keep; `reason` says why (`unreadable`, `markup`, `too_large`,
    `too_many_pixels`, `too_many_files`, `bad_name`) and `name` which file. Nothing was stored."""

    code = "evidence_refused"

    def __init__(self, message: str, *, reason: str, name: str = "") -> None:
        super().__init__(message, reason=reason, name=name)
        self.reason = reason
        self.name = name


class InvalidTwoFactorCode(ApplicationError):
    code = "invalid_two_factor_code"

    def __init__(self) -> None:
        super().__init__(_("That code is not right. Enter the 6-digit code your app shows now."))


class TwoFactorThrottled(ApplicationError):
    """Too many wrong codes in a row: the device takes no code for a while."""

    code = "two_factor_throttled"

    def __init__(self, seconds: int) -> None:
        super().__init__(
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second, then try again.",
                "Too many wrong codes. Wait %(seconds)d seconds, then try again.",
                seconds,
            )
            % {"seconds": seconds},
            seconds=seconds,
        )


class TwoFactorRequired(ApplicationError):
    code = "two_factor_required"

    def __init__(self) -> None:
        super().__init__(
            _("Supervisors must sign in with a code here; two-factor sign-in stays on.")
        )
