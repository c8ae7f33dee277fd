"""The compensation ledger: propose, approve or reject, then issue, fail or cancel.

`_move` is the one mutator of Compensation.status: it locks the row, checks the move against
Compensation.TRANSITIONS and records the event. Proposals lock their case, so a proposal and a
concurrent close of the case cannot both win."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import (
    CaseClosed,
    InvalidCompensationTransition,
    MissingExchangeRate,
    NotAllowed,
)
from tickets.models import Case, Compensation, ExchangeRate
from tickets.money import minor_unit
from tickets.services import timeline
from tickets.services.timeline import Actor

APPROVE_PERMISSION = "tickets.approve_compensation"

# Amounts are stored as 14 digits with 3 decimals: what converts beyond that is refused.
LARGEST_AMOUNT = Decimal("99999999999.999")


def _to_base(amount: Decimal, currency: str) -> tuple[Decimal, Decimal]:
    """(amount in BASE_CURRENCY, rate used), rounded to the base currency's minor unit."""
    rate: Decimal | None
    if currency == settings.BASE_CURRENCY:
        rate = Decimal(1)
    else:
        rate = ExchangeRate.objects.filter(currency=currency).values_list("rate", flat=True).first()
        if rate is None:
            raise MissingExchangeRate(currency)
    base = (amount * rate).quantize(minor_unit(settings.BASE_CURRENCY), rounding=ROUND_HALF_UP)
    if base > LARGEST_AMOUNT:
        raise ValidationError(
            {
                "amount": ValidationError(
                    _("This amount is too large to record."), code="amount_too_large"
                )
            }
        )
    return base, rate


def amount_in_base(amount: Decimal, currency: str) -> Decimal | None:
    """`amount` in BASE_CURRENCY at the stored rate, or None without one."""
    try:
        return _to_base(amount, currency)[0]
    except MissingExchangeRate:
        return None


@transaction.atomic
def compensation_propose(
    *,
    case: Case,
    kind: str,
    amount: Decimal,
    actor: Actor,
    currency: str | None = None,
    note: str = "",
    by_customer: bool = False,
) -> Compensation:
    """Record what it costs to make `case` right, in the order's currency by default;
    `by_customer` (with `actor` None) when it is the customer's own choice in the portal.

    Up to COMPENSATION_APPROVAL_THRESHOLD (in BASE_CURRENCY) it is approved at once;
    above it waits for someone with the approve_compensation permission. Raises CaseClosed on
    a closed case, ValidationError for a bad kind, amount or currency, MissingExchangeRate
    without a rate."""
    # Lock the case row only: the order is read along (a case may have none, an outer join).
    case = Case.objects.select_for_update(of=("self",)).select_related("order").get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        raise CaseClosed(case.number)
    currency = currency or (case.order.currency if case.order else settings.BASE_CURRENCY)
    compensation = Compensation(
        case=case,
        kind=kind,
        amount=amount,
        currency=currency,
        base_currency=settings.BASE_CURRENCY,
        base_amount=Decimal(0),
        exchange_rate=Decimal(1),
        note=note,
        proposed_by=actor,
        proposed_by_customer=by_customer,
    )
    compensation.full_clean(exclude=["base_amount", "exchange_rate"])
    compensation.base_amount, compensation.exchange_rate = _to_base(amount, currency)
    compensation.needs_supervisor = (
        compensation.base_amount > settings.COMPENSATION_APPROVAL_THRESHOLD
    )
    compensation.save()
    timeline.compensation_event(compensation=compensation, actor=actor)
    if not compensation.needs_supervisor:
        compensation = _approve(compensation, actor=actor)
    return compensation


def _move(compensation: Compensation, to: str, *, actor: Actor, **fields: object) -> Compensation:
    """The one mutator of Compensation.status: locks the row, checks the transition table,
    saves `fields` with the status and records the event. Raises
    InvalidCompensationTransition for a move the table does not allow."""
    compensation = (
        Compensation.objects.select_for_update().select_related("case").get(pk=compensation.pk)
    )
    if to not in Compensation.TRANSITIONS[compensation.status]:
        raise InvalidCompensationTransition(compensation.status, to)
    compensation.status = to
    for name, value in fields.items():
        setattr(compensation, name, value)
    compensation.full_clean(exclude=["case", "proposed_by", "approved_by"])
    compensation.save(update_fields=["status", *fields])
    timeline.compensation_event(compensation=compensation, actor=actor)
    return compensation


@transaction.atomic
def compensation_approve(*, compensation: Compensation, actor: Actor) -> Compensation:
    """Approve a proposed compensation; above the threshold only someone with the
    approve_compensation permission may (else NotAllowed)."""
    if compensation.needs_supervisor and not (actor and actor.has_perm(APPROVE_PERMISSION)):
        raise NotAllowed(_("Only a supervisor can approve compensation above the limit."))
    return _approve(compensation, actor=actor)


def _approve(compensation: Compensation, *, actor: Actor) -> Compensation:
    """Approve; goods whose parcel already left (compensation_goods_shipped) are issued at once."""
    compensation = _move(
        compensation,
        Compensation.Status.APPROVED,
        actor=actor,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    if compensation.kind in Compensation.GOODS and compensation.external_reference:
        compensation = compensation_mark_issued(
            compensation=compensation,
            actor=actor,
            external_reference=compensation.external_reference,
        )
    return compensation


def _reason(reason: str, field: str = "reason") -> str:
    """`reason` stripped; a move that must say why refuses an empty one."""
    if not reason.strip():
        raise ValidationError(
            {field: ValidationError(_("Say why, for the timeline."), code="reason_required")}
        )
    return reason.strip()


@transaction.atomic
def compensation_reject(*, compensation: Compensation, actor: Actor, reason: str) -> Compensation:
    """Turn a proposal down, saying why; a rejected compensation is final."""
    return _move(compensation, Compensation.Status.REJECTED, actor=actor, reason=_reason(reason))


@transaction.atomic
def compensation_cancel(*, compensation: Compensation, actor: Actor, reason: str) -> Compensation:
    """Call off an approved (or failed) compensation before it is issued, saying why; final."""
    return _move(compensation, Compensation.Status.CANCELLED, actor=actor, reason=_reason(reason))


@transaction.atomic
def compensation_mark_issued(
    *, compensation: Compensation, actor: Actor, external_reference: str = ""
) -> Compensation:
    """The refund, credit or code went out; `external_reference` is the shop's or PSP's id."""
    return _move(
        compensation,
        Compensation.Status.ISSUED,
        actor=actor,
        issued_at=timezone.now(),
        external_reference=external_reference,
    )


def compensation_goods_shipped(
    *, compensation: Compensation | None, actor: Actor, tracking_number: str
) -> None:
    """The replacement or repaired item a compensation pays for left as parcel `tracking_number`:
    an approved (or failed) one is issued with the tracking number as its reference, so it leaves
    the queue of what has not gone out. One still awaiting approval keeps the number, and is
    issued with it when the supervisor approves it."""
    if compensation is None:
        return
    if compensation.status == Compensation.Status.PROPOSED:
        compensation.external_reference = tracking_number
        compensation.save(update_fields=["external_reference"])
    elif compensation.status in (Compensation.Status.APPROVED, Compensation.Status.FAILED):
        compensation_mark_issued(
            compensation=compensation, actor=actor, external_reference=tracking_number
        )


@transaction.atomic
def compensation_mark_failed(
    *, compensation: Compensation, actor: Actor, reason: str
) -> Compensation:
    """Issuing failed (payment declined, code rejected); it can be issued again later."""
    return _move(
        compensation,
        Compensation.Status.FAILED,
        actor=actor,
        failure_reason=_reason(reason, "failure_reason"),
    )
