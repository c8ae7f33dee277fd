"""Insurance claims for lost or damaged insured shipments: filed with the evidence through a
claims adapter (shipments/claims/), followed through submitted → in review → approved /
partially approved / rejected → paid (InsuranceClaim.TRANSITIONS), and the payout booked on the
case's compensation ledger once paid.

`claim_update` is the one mutator of InsuranceClaim.status."""

import logging
from collections import deque
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from shipments.claims import ClaimsAdapter, claims_adapter
from shipments.errors import (
    ClaimDeadlinePassed,
    ClaimProviderError,
    ClaimRefused,
    InvalidClaimTransition,
)
from shipments.models import IncidentReason, InsuranceClaim, Shipment, ShipmentStatus
from shipments.services.issue_cases import issue_case_for
from shipments.verbs import Verb
from tickets.models import Case, Compensation, Message
from tickets.money import money_str
from tickets.services import timeline
from tickets.services.compensations import compensation_mark_issued, compensation_propose
from tickets.services.timeline import Actor

logger = logging.getLogger(__name__)

Status = InsuranceClaim.Status


def claim_filing_deadline(shipment: Shipment) -> date:
    """The last day a claim for `shipment` may be filed: the carrier's claim_filing_days after
    the promised delivery date, or after shipping without one (or after the shipment was
    recorded, without either)."""
    if shipment.promised_delivery_date is not None:
        start = shipment.promised_delivery_date
    else:
        start = timezone.localdate(shipment.shipped_at or shipment.created_at)
    return start + timedelta(days=shipment.carrier.claim_filing_days)


def claim_days_left(deadline: date | None, *, today: date | None = None) -> int | None:
    """Days from today to `deadline` (0 on the day itself, negative after it), or None."""
    if deadline is None:
        return None
    return (deadline - (today or timezone.localdate())).days


def shipment_is_insured(shipment: Shipment) -> bool:
    return bool(shipment.insured or shipment.order.insured)


def _claimable(shipment: Shipment) -> bool:
    """Lost (declared, or the carrier says so) or reported damaged."""
    return (
        shipment.declared_lost_at is not None
        or shipment.status == ShipmentStatus.LOST
        or shipment.incident_reason == IncidentReason.DAMAGED
    )


def _amount(shipment: Shipment) -> tuple[Decimal, str]:
    """What to claim: the insured value where one was bought, else the order's total."""
    if shipment.insured and shipment.insured_value and shipment.insured_currency:
        return Decimal(shipment.insured_value), shipment.insured_currency
    return Decimal(shipment.order.total), shipment.order.currency


def claim_evidence(*, shipment: Shipment, case: Case) -> dict[str, object]:
    """What goes with the claim: the tracking history, the order's value and the photos the
    customer sent on the case (as attachment ids and names; adapters read the files)."""
    order = shipment.order
    tracking = [
        {
            "at": event.occurred_at.isoformat(),
            "status": event.status,
            "raw_status": event.raw_status,
            "message": event.message,
            "location": event.location,
            "source": event.source,
        }
        for event in shipment.events.order_by("occurred_at", "pk")
    ]
    photos = [
        {"id": attachment.pk, "filename": attachment.filename}
        for message in case.messages.filter(author_kind=Message.Author.CUSTOMER)
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
        for attachment in message.attachments.all()
        if attachment.content_type.startswith("image/")
    ]
    return {
        "tracking": tracking,
        "order": {
            "number": order.number,
            "total": money_str(order.total, order.currency),
            "currency": order.currency,
        },
        "photos": photos,
        "declared_lost_at": (
            shipment.declared_lost_at.isoformat() if shipment.declared_lost_at else None
        ),
    }


def _check_fileable(shipment: Shipment, *, today: date) -> date:
    """The filing deadline; raises ClaimRefused / ClaimDeadlinePassed saying why not."""
    if not shipment_is_insured(shipment):
        raise ClaimRefused(_("This parcel was not insured, so there is no claim to file."))
    if not _claimable(shipment):
        raise ClaimRefused(_("A claim is filed for a parcel that is lost or arrived damaged."))
    if shipment.claims.exclude(status=Status.REJECTED).exists():
        raise ClaimRefused(_("This parcel already has a claim under way."))
    deadline = claim_filing_deadline(shipment)
    if today > deadline:
        raise ClaimDeadlinePassed(formats.date_format(deadline, "DATE_FORMAT"))
    return deadline


def claim_file(
    *, shipment: Shipment, actor: Actor, adapter: ClaimsAdapter | None = None
) -> InsuranceClaim:
    """File an insurance claim for the lost or damaged insured `shipment` with the tracking
    history, order value and the customer's photos, through `adapter` (by default
    SHIPMENT_CLAIMS_ADAPTER's), on its shipment-issue case.

    Raises ClaimRefused (not insured, neither lost nor damaged, a claim already under way),
    ClaimDeadlinePassed, ClaimProviderError (nothing stored)."""
    adapter = adapter or claims_adapter()
    shipment = Shipment.objects.select_related("carrier", "order").get(pk=shipment.pk)
    deadline = _check_fileable(shipment, today=timezone.localdate())
    case, _opened = issue_case_for(shipment=shipment, actor=actor)
    amount, currency = _amount(shipment)
    claim = InsuranceClaim(
        shipment=shipment,
        case=case,
        provider=adapter.name,
        amount_requested=amount,
        currency=currency,
        evidence=claim_evidence(shipment=shipment, case=case),
        filing_deadline=deadline,
        filed_at=timezone.now(),
    )
    # The provider's call happens outside any transaction: a slow or failing provider holds no
    # lock, and a refusal leaves nothing behind. Two agents filing at once may both reach the
    # provider; the one-open-claim constraint keeps one row here.
    claim.provider_reference = adapter.file(claim)[:100]
    return _claim_save(claim, actor=actor)


@transaction.atomic
def _claim_save(claim: InsuranceClaim, *, actor: Actor) -> InsuranceClaim:
    shipment = Shipment.objects.select_for_update().select_related("carrier", "order")
    locked = shipment.get(pk=claim.shipment_id)
    _check_fileable(locked, today=timezone.localdate())
    claim.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            claim.save()
    except IntegrityError as exc:
        raise ClaimRefused(_("This parcel already has a claim under way.")) from exc
    timeline.record(
        case=claim.case,
        verb=Verb.CLAIM_FILED,
        actor=actor,
        data={
            "claim": claim.pk,
            "shipment": locked.pk,
            "provider": claim.provider,
            "reference": claim.provider_reference,
            "amount": money_str(claim.amount_requested, claim.currency),
            "currency": claim.currency,
            "deadline": claim.filing_deadline.isoformat() if claim.filing_deadline else None,
            **timeline.by_system_unless(actor),
        },
    )
    return claim


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _approved_amount(claim: InsuranceClaim, to: str, amount: Decimal | None) -> Decimal | None:
    """The approved amount the move to `to` leaves on `claim`; raises ValidationError."""
    if to == Status.APPROVED:
        return amount if amount is not None else claim.amount_requested
    if to == Status.PARTIALLY_APPROVED:
        if amount is None or not Decimal(0) < amount < claim.amount_requested:
            raise _invalid(
                "amount_approved",
                _("A partial approval is more than 0 and less than the %(amount)s claimed.")
                % {"amount": money_str(claim.amount_requested, claim.currency)},
                "partial_amount",
            )
        return amount
    if to == Status.PAID:
        paid = amount if amount is not None else claim.amount_approved
        if paid is None or paid <= 0:
            raise _invalid("amount_approved", _("Say how much was paid."), "paid_amount")
        return paid
    return claim.amount_approved


def _payout_note(claim: InsuranceClaim) -> str:
    return _(
        "Insurance payout for claim %(reference)s (%(provider)s): money the shop recovers from "
        "the carrier or insurer, not a payment to the customer."
    ) % {"reference": claim.provider_reference or f"#{claim.pk}", "provider": claim.provider}


def _payout_book(claim: InsuranceClaim, *, actor: Actor) -> Compensation:
    """Book the paid amount on the case's compensation ledger, as issued where no supervisor
    must approve it first."""
    payout = compensation_propose(
        case=claim.case,
        kind=Compensation.Kind.INSURANCE_PAYOUT,
        amount=claim.amount_approved or Decimal(0),
        currency=claim.currency,
        actor=actor,
        note=_payout_note(claim)[:500],
    )
    if payout.status == Compensation.Status.APPROVED:
        payout = compensation_mark_issued(
            compensation=payout,
            actor=actor,
            external_reference=claim.provider_reference or f"claim-{claim.pk}",
        )
    return payout


@transaction.atomic
def claim_update(
    *,
    claim: InsuranceClaim,
    to: str,
    actor: Actor,
    amount_approved: Decimal | None = None,
    reason: str = "",
    provider_reference: str = "",
) -> InsuranceClaim:
    """Record the provider's answer: move `claim` to `to` along InsuranceClaim.TRANSITIONS.
    Approved takes `amount_approved` (default: all that was claimed), partially approved
    needs an amount below the claim, rejected needs `reason`; paid books the payout on the
    case's compensation ledger, once (paid is final).

    Raises InvalidClaimTransition, ValidationError for a missing or bad amount or reason, and
    what compensation_propose raises when booking (CaseClosed, MissingExchangeRate)."""
    claim = (
        InsuranceClaim.objects.select_for_update(of=("self",))
        .select_related("case", "shipment")
        .get(pk=claim.pk)
    )
    if to not in Status.values or to not in InsuranceClaim.TRANSITIONS[claim.status]:
        raise InvalidClaimTransition(
            str(Status(claim.status).label), str(Status(to).label) if to in Status.values else to
        )
    if to == Status.REJECTED and not reason.strip():
        raise _invalid("reason", _("Say why the claim was rejected."), "reason_required")
    previous = claim.status
    now = timezone.now()
    claim.amount_approved = _approved_amount(claim, to, amount_approved)
    claim.status = to
    claim.updated_at = now
    fields = ["status", "amount_approved", "updated_at"]
    if provider_reference.strip():
        claim.provider_reference = provider_reference.strip()[:100]
        fields.append("provider_reference")
    if to == Status.REJECTED:
        claim.rejection_reason = reason.strip()[:500]
        fields.append("rejection_reason")
    if to in (Status.APPROVED, Status.PARTIALLY_APPROVED, Status.REJECTED):
        claim.decided_at = now
        fields.append("decided_at")
    if to == Status.PAID:
        claim.paid_at = now
        claim.payout = _payout_book(claim, actor=actor)
        fields += ["paid_at", "payout"]
    claim.full_clean(validate_constraints=False)
    claim.save(update_fields=fields)
    timeline.record(
        case=claim.case,
        verb=Verb.CLAIM_UPDATED,
        actor=actor,
        data={
            "claim": claim.pk,
            "previous": previous,
            "status": to,
            "amount_approved": (
                money_str(claim.amount_approved, claim.currency)
                if claim.amount_approved is not None
                else None
            ),
            "currency": claim.currency,
            **timeline.by_system_unless(actor),
        },
    )
    return claim


def _path(current: str, target: str) -> list[str]:
    """The shortest run of moves from `current` to `target` in the table ([] if none)."""
    queue: deque[list[str]] = deque([[current]])
    seen = {current}
    while queue:
        route = queue.popleft()
        if route[-1] == target:
            return route[1:]
        for step in sorted(InsuranceClaim.TRANSITIONS[route[-1]]):
            if step not in seen:
                seen.add(step)
                queue.append([*route, step])
    return []


def claim_refresh(
    *, claim: InsuranceClaim, actor: Actor = None, adapter: ClaimsAdapter | None = None
) -> InsuranceClaim:
    """Ask the claim's provider where it stands and record each move up to there (a provider
    that skips "in review" or reports "paid" straight away walks the table's steps). A claim
    the provider cannot be asked about (manual), or already there, is returned unchanged."""
    adapter = adapter or claims_adapter(claim.provider)
    answer = adapter.status(claim)
    if answer is None or answer.status == claim.status:
        return claim
    for step in _path(claim.status, answer.status):
        claim = claim_update(
            claim=claim,
            to=step,
            actor=actor,
            amount_approved=answer.amount_approved,
            reason=answer.reason or _("Rejected by the provider."),
        )
    return claim


# Claims still waiting for their provider's word: asked again by beat (shipment-claims-refresh).
OPEN_CLAIM_STATUSES = [status for status, moves in InsuranceClaim.TRANSITIONS.items() if moves]


def claims_refresh_open(*, adapter: ClaimsAdapter | None = None) -> int:
    """Ask the provider of every open claim filed through one (not manual) where it stands,
    recording each move (claim_refresh); a provider that cannot be reached is logged and asked
    again next time. Returns how many claims moved."""
    moved = 0
    open_claims = (
        InsuranceClaim.objects.filter(status__in=OPEN_CLAIM_STATUSES)
        .exclude(provider="manual")
        .select_related("shipment", "case")
        .order_by("pk")
    )
    for claim in open_claims.iterator(chunk_size=200):
        before = claim.status
        try:
            with transaction.atomic():
                after = claim_refresh(claim=claim, adapter=adapter)
        except (ClaimProviderError, InvalidClaimTransition, ValidationError) as exc:
            logger.warning("Insurance claim %s not refreshed: %s", claim.pk, exc)
            continue
        moved += after.status != before
    return moved
