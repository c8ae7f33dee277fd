"""Acting at once on a wrong-item report: send the right item by express, refund instead, and
decide what happens to the wrong item (kept, or returned with a prepaid label)."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shipments.labels.models import Label
from shipments.labels.services import label_issue, label_send
from shipments.models import Carrier, Shipment
from shipments.services.lost import REPLACEMENT_EVENT
from shipments.services.shipments import shipment_create
from tickets.models import Compensation
from tickets.services import timeline
from tickets.services.cases import case_answered
from tickets.services.compensations import (
    compensation_cancel,
    compensation_goods_shipped,
    compensation_propose,
    compensation_reject,
)
from tickets.services.notifications import notify
from tickets.services.timeline import Actor
from wrong_items.errors import (
    AlreadyRefunded,
    AlreadyReshipped,
    OutcomeAlreadySet,
    ReshipAlreadyApproved,
)
from wrong_items.models import WrongItemReport
from wrong_items.verbs import Verb

# The compensations that settle the wrong line: the right item sent, or the money back.
SETTLING = (Compensation.Kind.REPLACEMENT, Compensation.Kind.REFUND)
LIVE = (Compensation.Status.PROPOSED, Compensation.Status.APPROVED, Compensation.Status.ISSUED)


def _locked(report: WrongItemReport) -> WrongItemReport:
    return (
        WrongItemReport.objects.select_for_update(of=("self",))
        .select_related("case", "order__customer", "order_line")
        .get(pk=report.pk)
    )


def report_replacement(report: WrongItemReport) -> Shipment | None:
    """The express parcel with the right item made for the report's case, or None."""
    return (
        Shipment.objects.select_related("carrier")
        .filter(case_id=report.case_id, direction=Shipment.Direction.REPLACEMENT)
        .first()
    )


def refund_of(report: WrongItemReport) -> Compensation | None:
    """The live refund recorded on the report's case, or None."""
    return Compensation.objects.filter(
        case_id=report.case_id, kind=Compensation.Kind.REFUND, status__in=LIVE
    ).first()


def replacement_cost(report: WrongItemReport) -> Compensation | None:
    """The live replacement compensation on the report's case: approved before the parcel
    ships (reship_approve), or recorded with it (report_reship); None without one."""
    return Compensation.objects.filter(
        case_id=report.case_id, kind=Compensation.Kind.REPLACEMENT, status__in=LIVE
    ).first()


def proposal_supersede(report: WrongItemReport, actor: Actor) -> None:
    """An agent acting by hand (reshipping, refunding, giving a code) while the automatic
    proposal waits sets it aside, so it cannot add a second reshipment or code later."""
    if report.proposal != WrongItemReport.Proposal.WAITING:
        return
    report.proposal = WrongItemReport.Proposal.DISMISSED
    report.save(update_fields=["proposal"])
    timeline.record(
        case=report.case,
        verb=Verb.PROPOSAL_DISMISSED,
        actor=actor,
        data={"reason": _("The agent acted by hand.")},
    )


def _refuse_settled(report: WrongItemReport) -> None:
    shipment = report_replacement(report)
    if shipment is not None:
        raise AlreadyReshipped(shipment.tracking_number)
    if refund_of(report) is not None:
        raise AlreadyRefunded()


def line_value(report: WrongItemReport) -> Decimal:
    """What one ordered item is worth, in the order's currency."""
    return Decimal(report.order_line.unit_price)


@transaction.atomic
def report_reship(
    *,
    report: WrongItemReport,
    carrier: Carrier | str,
    tracking_number: str,
    actor: Actor,
) -> Shipment:
    """Send the right item by express: a `replacement` shipment of the order, expedited, made for
    the report's case (tracked like any shipment), its cost recorded as a replacement
    compensation (issued with the tracking number once approved), and the customer told with
    the tracking link: their answer (a new case opens).

    Raises AlreadyReshipped, AlreadyRefunded, and what shipment_create (ShipmentExists,
    ShipmentInvalid) and compensation_propose (CaseClosed) raise; nothing is stored then."""
    report = _locked(report)
    _refuse_settled(report)
    case = report.case
    proposal_supersede(report, actor)
    shipment = shipment_create(
        order=report.order,
        carrier=carrier,
        tracking_number=tracking_number,
        direction=Shipment.Direction.REPLACEMENT,
        service_level=Shipment.ServiceLevel.EXPEDITED,
        shipped_at=timezone.now(),
        case=case,
    )
    cost = replacement_cost(report)
    if cost is None:
        cost = compensation_propose(
            case=case,
            kind=Compensation.Kind.REPLACEMENT,
            amount=line_value(report),
            actor=actor,
            note=f"{report.order_line.sku} × 1, {shipment.tracking_number}",
        )
    compensation_goods_shipped(
        compensation=cost, actor=actor, tracking_number=shipment.tracking_number
    )
    timeline.record(
        case=case,
        verb=Verb.RESHIPPED,
        actor=actor,
        data={
            "shipment": shipment.pk,
            "tracking_number": shipment.tracking_number,
            "carrier": shipment.carrier.code,
            "sku": report.order_line.sku,
        },
    )
    notify(
        customer=report.order.customer,
        event=REPLACEMENT_EVENT,
        key=str(shipment.pk),
        case=case,
        context={
            "shipment": shipment,
            "order": report.order,
            "tracking_link": shipment.tracking_link,
        },
    )
    # The email with the tracking link answers the customer, and a new case is being worked.
    case_answered(case=case, reason="wrong_item_reshipped")
    return shipment


@transaction.atomic
def reship_approve(*, report: WrongItemReport, actor: Actor) -> Compensation:
    """Approve sending the right item by express before the warehouse has shipped it: its cost
    is recorded as a replacement compensation (approved at once up to the approval limit), which
    report_reship then uses when the parcel's tracking number is entered.

    Raises ReshipAlreadyApproved, AlreadyReshipped, AlreadyRefunded and what
    compensation_propose raises; nothing is stored then."""
    report = _locked(report)
    _refuse_settled(report)
    if replacement_cost(report) is not None:
        raise ReshipAlreadyApproved()
    compensation = compensation_propose(
        case=report.case,
        kind=Compensation.Kind.REPLACEMENT,
        amount=line_value(report),
        actor=actor,
        note=f"{report.order_line.sku} × 1",
    )
    timeline.record(
        case=report.case,
        verb=Verb.RESHIP_APPROVED,
        actor=actor,
        data={"compensation": compensation.pk, "sku": report.order_line.sku},
    )
    return compensation


def _withdraw_replacement(report: WrongItemReport, actor: Actor) -> None:
    """An approved reshipment that never shipped is given up when the money goes back instead."""
    cost = replacement_cost(report)
    if cost is None:
        return
    reason = _("Refunded instead of reshipped.")
    if cost.status == Compensation.Status.PROPOSED:
        compensation_reject(compensation=cost, actor=actor, reason=reason)
    else:
        compensation_cancel(compensation=cost, actor=actor, reason=reason)


@transaction.atomic
def report_refund(
    *, report: WrongItemReport, actor: Actor, amount: Decimal | None = None
) -> Compensation:
    """A refund instead of a reshipment (the customer asked for it, or the item is out of
    stock): a refund compensation of the line's value unless `amount` says otherwise.

    An approved reshipment that has not shipped is withdrawn. Raises AlreadyReshipped,
    AlreadyRefunded and what compensation_propose raises."""
    report = _locked(report)
    _refuse_settled(report)
    proposal_supersede(report, actor)
    _withdraw_replacement(report, actor)
    compensation = compensation_propose(
        case=report.case,
        kind=Compensation.Kind.REFUND,
        amount=line_value(report) if amount is None else amount,
        actor=actor,
        note=report.order_line.sku,
    )
    timeline.record(
        case=report.case,
        verb=Verb.REFUND_PROPOSED,
        actor=actor,
        data={"compensation": compensation.pk, "amount": str(compensation.amount)},
    )
    return compensation


def keep_suggested(report: WrongItemReport) -> bool:
    """Whether keeping the wrong item is suggested: the ordered item is worth less than
    WRONG_ITEM_KEEP_THRESHOLD (a return label would cost more than the item)."""
    return line_value(report) < settings.WRONG_ITEM_KEEP_THRESHOLD


def _refuse_outcome_set(report: WrongItemReport) -> None:
    if report.item_outcome:
        raise OutcomeAlreadySet(report.get_item_outcome_display())


@transaction.atomic
def item_keep(*, report: WrongItemReport, actor: Actor) -> WrongItemReport:
    """The customer keeps the wrong item. Raises OutcomeAlreadySet."""
    report = _locked(report)
    _refuse_outcome_set(report)
    report.item_outcome = WrongItemReport.ItemOutcome.KEEP
    report.save(update_fields=["item_outcome"])
    timeline.record(
        case=report.case,
        verb=Verb.ITEM_KEPT,
        actor=actor,
        data={"suggested": keep_suggested(report)},
    )
    return report


@transaction.atomic
def item_return(
    *, report: WrongItemReport, customer_address: dict[str, Any], actor: Actor
) -> Label:
    """The customer sends the wrong item back with a prepaid label (the label service, the case
    number as its reference), emailed to them at once: their answer (a new case opens).

    Raises OutcomeAlreadySet, and what label_issue raises (LabelInvalid, AddressInvalid,
    LabelProviderError); nothing is stored then."""
    report = _locked(report)
    _refuse_outcome_set(report)
    label = label_issue(
        order=report.order,
        case=report.case,
        reference=report.case.number,
        customer_address=customer_address,
        actor=actor,
        direction=Shipment.Direction.RETURN,
    )
    report.item_outcome = WrongItemReport.ItemOutcome.RETURN
    report.save(update_fields=["item_outcome"])
    timeline.record(
        case=report.case,
        verb=Verb.RETURN_LABEL,
        actor=actor,
        data={"label": label.pk, "tracking_number": label.shipment.tracking_number},
    )
    label_send(label=label)
    case_answered(case=report.case, reason="wrong_item_return_label")
    return label
