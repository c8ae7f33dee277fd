"""The compensation ledger: propose, approve, mark issued or failed."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import MissingExchangeRate, NotAllowed
from tickets.models import Case, Compensation, ExchangeRate
from tickets.services import timeline
from tickets.services.timeline import Actor
from tickets.validators import currency_precision

APPROVE_PERMISSION = "tickets.approve_compensation"


def _to_base(amount: Decimal, currency: str) -> tuple[Decimal, Decimal]:
    """(amount in BASE_CURRENCY, rate used), rounded to the base currency's minor unit."""
    rate: Decimal | None
    if currency == settings.BASE_CURRENCY:
        rate = Decimal(1)
    else:
        rate = ExchangeRate.objects.filter(currency=currency).values_list("rate", flat=True).first()
        if rate is None:
            raise MissingExchangeRate(currency)
    unit = Decimal(1).scaleb(-currency_precision(settings.BASE_CURRENCY))
    return (amount * rate).quantize(unit, rounding=ROUND_HALF_UP), rate


@transaction.atomic
def compensation_propose(
    *,
    case: Case,
    kind: str,
    amount: Decimal,
    actor: Actor,
    currency: str | None = None,
    note: str = "",
) -> Compensation:
    """Record what it costs to make `case` right, in the order's currency by default.

    Up to COMPENSATION_APPROVAL_THRESHOLD (in BASE_CURRENCY) it is approved at once;
    above it waits for someone with the approve_compensation permission. Raises
    ValidationError for a bad amount or currency, MissingExchangeRate without a rate."""
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
    """The one mutator of Compensation.status."""
    compensation = Compensation.objects.select_for_update().get(pk=compensation.pk)
    if to not in Compensation.TRANSITIONS[compensation.status]:
        raise NotAllowed(
            _("A %(status)s compensation cannot become %(target)s.")
            % {
                "status": compensation.get_status_display(),
                "target": Compensation.Status(to).label,
            }
        )
    compensation.status = to
    for name, value in fields.items():
        setattr(compensation, name, value)
    compensation.save(update_fields=["status", *fields])
    timeline.compensation_event(compensation=compensation, actor=actor)
    return compensation


@transaction.atomic
def compensation_approve(*, compensation: Compensation, actor: Actor) -> Compensation:
    """Approve a proposed compensation; above the threshold only supervisors may."""
    if compensation.needs_supervisor and not (actor and actor.has_perm(APPROVE_PERMISSION)):
        raise NotAllowed(_("Only a supervisor can approve compensation above the limit."))
    return _approve(compensation, actor=actor)


def _approve(compensation: Compensation, *, actor: Actor) -> Compensation:
    return _move(
        compensation,
        Compensation.Status.APPROVED,
        actor=actor,
        approved_by=actor,
        approved_at=timezone.now(),
    )


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


@transaction.atomic
def compensation_mark_failed(
    *, compensation: Compensation, actor: Actor, reason: str
) -> Compensation:
    """Issuing failed (payment declined, code rejected); it can be issued again later."""
    return _move(compensation, Compensation.Status.FAILED, actor=actor, failure_reason=reason)
