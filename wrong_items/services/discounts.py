"""A discount on a future order for the customer of a wrong-item report: a unique single-use
code, recorded as a discount compensation and pushed to the shop through the discount adapter."""

import secrets
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import NotAllowed
from tickets.models import Compensation
from tickets.services import timeline
from tickets.services.cases import case_answered
from tickets.services.compensations import (
    APPROVE_PERMISSION,
    compensation_approve,
    compensation_mark_issued,
    compensation_propose,
)
from tickets.services.notifications import notify
from tickets.services.timeline import Actor
from wrong_items.discounts import DiscountAdapter, DiscountSpec, discount_adapter
from wrong_items.models import DiscountCode, WrongItemReport
from wrong_items.services.actions import proposal_supersede
from wrong_items.verbs import Verb

# No 0/O, 1/I/L: a customer types the code from an email. 32 symbols, 12 of them: 60 bits, so
# two codes colliding is out of reach even with millions issued (and the column is unique).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
PREFIX = "SORRY-"
ATTEMPTS = 3
NOTIFICATION_EVENT = "wrong_item_discount"


def discount_code_generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{PREFIX}{body[:4]}-{body[4:8]}-{body[8:]}"


def _compensation_amount(report: WrongItemReport, value_type: str, value: Decimal) -> Decimal:
    """What the discount costs the shop at most: a fixed value, or the percentage of the
    wrong line's value (what the customer paid for the item)."""
    if value_type == DiscountCode.ValueType.PERCENTAGE:
        return (Decimal(report.order_line.unit_price) * value / 100).quantize(Decimal("0.01"))
    return value


@transaction.atomic
def discount_issue(
    *,
    report: WrongItemReport,
    value_type: str,
    value: Decimal,
    actor: Actor,
    currency: str = "",
    expires_at: datetime | None = None,
    adapter: DiscountAdapter | None = None,
) -> DiscountCode:
    """Give the customer of `report` a single-use code worth `value` (an amount in `currency`,
    default the order's, or a percentage), valid until `expires_at` (default
    WRONG_ITEM_DISCOUNT_VALID_DAYS from now); recorded as a discount compensation, pushed to the
    shop through `adapter` (default the configured one) and emailed to the customer: their
    answer (a new case opens).

    Raises ValidationError naming the bad field (value, expiry, currency), CaseClosed,
    NotAllowed for a discount above COMPENSATION_APPROVAL_THRESHOLD given by someone who may
    not approve it, and DiscountPushFailed when the shop refuses; nothing is stored then."""
    report = WrongItemReport.objects.select_related("case", "order__customer", "order_line").get(
        pk=report.pk
    )
    now = timezone.now()
    expires_at = expires_at or now + timedelta(days=settings.WRONG_ITEM_DISCOUNT_VALID_DAYS)
    currency = (currency or report.order.currency).upper()
    errors: dict[str, list[str]] = {}
    if value_type not in DiscountCode.ValueType.values:
        errors["value_type"] = [_("Choose a fixed amount or a percentage.")]
    if value <= 0:
        errors["value"] = [_("The discount must be more than zero.")]
    elif value_type == DiscountCode.ValueType.PERCENTAGE and value > 100:
        errors["value"] = [_("A percentage cannot be more than 100.")]
    if expires_at <= now:
        errors["expires_at"] = [_("The expiry must be in the future.")]
    if errors:
        raise ValidationError(errors)
    proposal_supersede(report, actor)
    compensation = compensation_propose(
        case=report.case,
        kind=Compensation.Kind.DISCOUNT_CODE,
        amount=_compensation_amount(report, value_type, value),
        currency=currency,
        actor=actor,
        note=f"{value}{'%' if value_type == DiscountCode.ValueType.PERCENTAGE else ' ' + currency}",
    )
    if compensation.status == Compensation.Status.PROPOSED:
        # Above the approval limit: a code the shop accepts is money given, so it goes out only
        # with a supervisor's approval, given here by a supervisor issuing it.
        if not (actor and actor.has_perm(APPROVE_PERMISSION)):
            raise NotAllowed(
                _("A discount above the approval limit needs a supervisor to issue it.")
            )
        compensation = compensation_approve(compensation=compensation, actor=actor)
    adapter = adapter or discount_adapter()
    discount = None
    for _attempt in range(ATTEMPTS):
        candidate = DiscountCode(
            code=discount_code_generate(),
            report=report,
            compensation=compensation,
            value_type=value_type,
            value=value,
            currency=currency,
            expires_at=expires_at,
            adapter=adapter.name,
        )
        candidate.full_clean(exclude=["report", "compensation", "code"])
        try:
            with transaction.atomic():
                candidate.save()
        except IntegrityError:
            continue
        discount = candidate
        break
    if discount is None:  # pragma: no cover - 60 bits thrice over
        raise IntegrityError("Could not generate a unique discount code.")
    discount.external_reference = adapter.push(
        DiscountSpec(
            code=discount.code,
            value_type=value_type,
            value=value,
            currency=currency,
            starts_at=now,
            expires_at=expires_at,
            title=f"{report.case.number} {discount.code}",
        )
    )
    discount.save(update_fields=["external_reference"])
    if compensation.status == Compensation.Status.APPROVED:
        discount.compensation = compensation_mark_issued(
            compensation=compensation, actor=actor, external_reference=discount.code
        )
    timeline.record(
        case=report.case,
        verb=Verb.DISCOUNT_ISSUED,
        actor=actor,
        data={
            "discount": discount.pk,
            "code": discount.code,
            "value_type": value_type,
            "value": str(value),
            "currency": currency,
            "adapter": adapter.name,
        },
    )
    notify(
        customer=report.order.customer,
        event=NOTIFICATION_EVENT,
        key=discount.code,
        case=report.case,
        context={"discount": discount, "order": report.order},
    )
    case_answered(case=report.case, reason="wrong_item_discount")
    return discount
