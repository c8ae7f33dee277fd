"""Back at the warehouse: the inspector records per line the condition, whether the defect is
confirmed, where the item goes and a note; then the outcome is decided: a refund (full or
partial, the policy's restocking fee off a change-of-mind return), store credit, an exchange, a
replacement or a repair, each a Compensation on the case (a rejection with a reason is
claims.return_request_reject, which an inspected request allows). The customer is told."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from returns.errors import InvalidReturnTransition
from returns.models import Condition, Disposition, ReturnLine, ReturnRequest
from returns.services.claims import case_to, lock, move
from returns.services.money import refund_due
from returns.services.refunds import refund_decide
from returns.services.shipback import SHIPPED_BACK
from returns.verbs import Verb
from tickets.models import Case, Compensation, Message
from tickets.money import quantize
from tickets.services import timeline
from tickets.services.evidence import evidence_prepare
from tickets.services.messages import message_add
from tickets.services.notifications import notify
from tickets.services.timeline import Actor

Status = ReturnRequest.Status
Resolution = ReturnRequest.Resolution
RESOLVED_EVENT = "return_resolved"
# The compensation each outcome records: an exchange is a replacement of another variant.
KINDS: dict[str, str] = {
    Resolution.REFUND: Compensation.Kind.REFUND,
    Resolution.STORE_CREDIT: Compensation.Kind.STORE_CREDIT,
    Resolution.EXCHANGE: Compensation.Kind.REPLACEMENT,
    Resolution.REPLACEMENT: Compensation.Kind.REPLACEMENT,
    Resolution.REPAIR: Compensation.Kind.REPAIR,
}


@dataclass(frozen=True)
class LineInspection:
    """What the inspector found on one line of the request."""

    line_id: int
    condition: str
    defect_confirmed: bool | None
    disposition: str
    note: str = ""
    # Photos of what the inspector found (uploads, checked by tickets.services.evidence).
    photos: tuple["UploadedFile[bytes]", ...] = ()


@transaction.atomic
def return_request_inspect(
    *, return_request: ReturnRequest, lines: Sequence[LineInspection], actor: Actor
) -> ReturnRequest:
    """Record the inspection of every line of a received request. Raises
    InvalidReturnTransition unless it is received, ValidationError naming each bad line
    ("lines[<id>].<field>": a missing line, a grade or disposition not in the lists, a defect
    claim's line without a verdict on the defect) and
    EvidenceRefused for a photo we do not keep; nothing is stored then."""
    request = lock(return_request)
    if request.status != Status.RECEIVED:
        raise InvalidReturnTransition(rma=request.rma, current=request.status, target="inspected")
    rows = {row.pk: row for row in request.lines.select_related("order_line")}
    given = {item.line_id: item for item in lines}
    errors: dict[str, list[str]] = {}
    for pk in rows.keys() - given.keys():
        errors[f"lines[{pk}]"] = [_("Inspect every line of the request.")]
    for pk in given.keys() - rows.keys():
        errors[f"lines[{pk}]"] = [_("This line is not part of the request.")]
    defect_claim = request.kind == ReturnRequest.Kind.DEFECT
    for pk, item in given.items():
        if defect_claim and item.defect_confirmed is None:
            errors[f"lines[{pk}].defect_confirmed"] = [_("Say whether the defect is confirmed.")]
        if item.condition not in Condition.values:
            errors[f"lines[{pk}].condition"] = [_("Choose a condition from A to D.")]
        if item.disposition not in Disposition.values:
            errors[f"lines[{pk}].disposition"] = [_("Choose where the item goes.")]
    if errors:
        raise ValidationError(errors)
    _photos_store(request, lines, actor=actor)
    for pk, row in rows.items():
        item = given[pk]
        row.condition = item.condition
        # Only a defect claim has a defect to confirm; a return's verdict would mean nothing.
        row.defect_confirmed = item.defect_confirmed if defect_claim else None
        row.disposition = item.disposition
        row.inspection_note = item.note.strip()[:2000]
    ReturnLine.objects.bulk_update(
        rows.values(), ["condition", "defect_confirmed", "disposition", "inspection_note"]
    )
    move(request, Status.INSPECTED, inspected_at=timezone.now(), inspected_by=actor)
    timeline.record(
        case=request.case,
        verb=Verb.INSPECTED,
        actor=actor,
        data={
            "rma": request.rma,
            "lines": [
                {
                    "line": pk,
                    "condition": given[pk].condition,
                    "defect_confirmed": rows[pk].defect_confirmed,
                    "disposition": given[pk].disposition,
                }
                for pk in sorted(rows)
            ],
        },
    )
    return request


def _photos_store(request: ReturnRequest, lines: Sequence[LineInspection], *, actor: Actor) -> None:
    """The inspection photos as an internal note on the case (the spine's attachments, which
    only agents see), each linked to its line. Raises EvidenceRefused before storing any."""
    uploads = [photo for item in lines for photo in item.photos]
    if not uploads:
        return
    message = message_add(
        case=request.case,
        body=_("Inspection photos of %(rma)s.") % {"rma": request.rma},
        author_kind=Message.Author.AGENT,
        actor=actor,
        visibility=Message.Visibility.INTERNAL,
        attachments=evidence_prepare(uploads),
    )
    stored = iter(message.attachments.order_by("pk"))
    ReturnLine.inspection_photos.through.objects.bulk_create(
        ReturnLine.inspection_photos.through(returnline_id=item.line_id, attachment=next(stored))
        for item in lines
        for _photo in item.photos
    )


@transaction.atomic
def return_request_resolve(
    *,
    return_request: ReturnRequest,
    resolution: str,
    actor: Actor,
    amount: Decimal | None = None,
    exchange_sku: str = "",
) -> Compensation:
    """Decide the outcome of an inspected request: a compensation of `resolution`'s kind (a
    refund or store credit of refund_due unless `amount`, at most that, says less: a partial
    refund; the others at what the units cost; an exchange names the variant's
    `exchange_sku`), the request resolved and its case with it (for goods that go back, once
    they leave: return_ship_back), and the customer told. Raises InvalidReturnTransition
    unless inspected, ValidationError for an unknown outcome, an amount above what is due or an
    exchange without its SKU, and what compensation_propose raises."""
    request = lock(return_request)
    if request.status != Status.INSPECTED:
        raise InvalidReturnTransition(rma=request.rma, current=request.status, target="resolved")
    if resolution not in KINDS:
        raise ValidationError({"resolution": [_("Choose an outcome.")]})
    exchange_sku = exchange_sku.strip()[:64] if resolution == Resolution.EXCHANGE else ""
    if resolution == Resolution.EXCHANGE and not exchange_sku:
        raise ValidationError(
            {"exchange_sku": [_("Enter the SKU of the variant the customer gets instead.")]}
        )
    due, fee = refund_due(request)
    paid_back = resolution in (Resolution.REFUND, Resolution.STORE_CREDIT)
    if request.compensation is not None:
        # The policy released the refund before inspection: the outcome is that refund.
        if resolution != Resolution.REFUND:
            raise ValidationError(
                {"resolution": [_("The refund was released already: the outcome is the refund.")]}
            )
        compensation = request.compensation
    else:
        kind = KINDS[resolution]
        value = due if paid_back else due + fee
        if amount is not None and paid_back:
            if amount <= 0 or amount > due:
                raise ValidationError(
                    {
                        "amount": [
                            _("The amount must be more than zero and at most %(due)s.")
                            % {"due": due}
                        ]
                    }
                )
            value = quantize(amount, request.order.currency)
            if resolution == Resolution.REFUND and value < due:
                kind = Compensation.Kind.PARTIAL_REFUND
        compensation = refund_decide(
            request, kind=kind, amount=value, fee=fee if paid_back else Decimal(0), actor=actor
        )
    move(request, Status.RESOLVED, resolution=resolution, exchange_sku=exchange_sku)
    timeline.record(
        case=request.case,
        verb=Verb.RESOLVED,
        actor=actor,
        data={
            "rma": request.rma,
            "resolution": resolution,
            "compensation": compensation.pk,
            "amount": str(compensation.amount),
            "currency": compensation.currency,
            "restocking_fee": str(fee) if paid_back else "0",
            "exchange_sku": exchange_sku,
        },
    )
    notify(
        customer=request.case.customer,
        event=RESOLVED_EVENT,
        key=request.rma,
        case=request.case,
        context={
            "return_request": request,
            "order": request.order,
            "compensation": compensation,
            "restocking_fee": fee if paid_back else Decimal(0),
        },
    )
    if resolution not in SHIPPED_BACK:
        # Goods still have to leave: return_ship_back resolves the case when they do, so it
        # stays in the agents' open cases until then.
        case_to(request.case, Case.Status.RESOLVED, reason="return_resolved")
    return compensation
