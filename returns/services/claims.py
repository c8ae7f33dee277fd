"""A customer's claim to send items back: submit (checked line by line against the policy,
nothing created when anything is refused), auto-approval where the policy allows it and the
customer's history does not stand out, and an agent's approval or rejection.

Each RMA move goes through `_move` (the transition table on ReturnRequest), records a timeline
event on the request's case, moves the case through the spine's state machine and tells the
customer (tickets' notify: email, and SMS where they agreed, in the case's language)."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from returns.errors import (
    AlreadyClaimed,
    ClaimInvalid,
    InvalidReturnTransition,
    Problem,
    ReasonRequired,
)
from returns.models import ReasonCode, ReturnLine, ReturnPolicy, ReturnRequest
from returns.services.money import claim_value
from returns.services.policy import LineEligibility, order_eligibility, policy_for
from returns.services.refunds import refund_release, refund_withdraw
from returns.verbs import Verb
from shipments.labels.addresses import Address, address_from
from shipments.labels.models import Label
from shipments.labels.services import label_issue, label_send
from shipments.models import Shipment
from tickets.errors import ApplicationError
from tickets.models import Attachment, Case, Order, OrderLine
from tickets.services import timeline
from tickets.services.cases import case_answered, case_create, case_transition_by_system
from tickets.services.compensations import amount_in_base
from tickets.services.notifications import notify
from tickets.services.timeline import Actor

Kind = ReturnRequest.Kind
Status = ReturnRequest.Status

APPROVED_EVENT = "return_approved"
REJECTED_EVENT = "return_rejected"
REJECTION_MAX_LENGTH = 2000


@dataclass(frozen=True)
class LineClaim:
    """One line of a claim as asked: the order line's id, how many, why."""

    order_line_id: int
    quantity: int
    reason_code: str
    description: str = ""


@dataclass(frozen=True)
class AbuseSignals:
    """The customer's history of returns: orders, return requests (this one included when
    counting for a new claim), rejected ones, and why it stands out ("" when it does not)."""

    orders: int
    returns: int
    rejected: int
    flag: str

    @property
    def rate(self) -> Decimal:
        return Decimal(self.returns) / Decimal(self.orders) if self.orders else Decimal(0)


def abuse_signals(*, customer_id: int, adding: int = 0) -> AbuseSignals:
    """The return history of the customer; `adding` counts requests about to be made."""
    orders = Order.objects.filter(customer_id=customer_id).count()
    counts = ReturnRequest.objects.filter(order__customer_id=customer_id).aggregate(
        returns=Sum(1),
        rejected=Sum(1, filter=Q(status=Status.REJECTED)),
    )
    returns = (counts["returns"] or 0) + adding
    rejected = counts["rejected"] or 0
    flag = ""
    if rejected >= settings.RETURNS_ABUSE_REJECTED:
        flag = ngettext(
            "%(count)d earlier claim of this customer was rejected.",
            "%(count)d earlier claims of this customer were rejected.",
            rejected,
        ) % {"count": rejected}
    elif (
        returns >= settings.RETURNS_ABUSE_MIN_RETURNS
        and orders
        and Decimal(returns) / Decimal(orders) >= settings.RETURNS_ABUSE_RATE
    ):
        flag = ngettext(
            "%(returns)d return requests for %(orders)d order.",
            "%(returns)d return requests for %(orders)d orders.",
            orders,
        ) % {"returns": returns, "orders": orders}
    return AbuseSignals(orders=orders, returns=returns, rejected=rejected, flag=flag)


def claimed_quantities(*, order_line_ids: Sequence[int]) -> dict[int, tuple[int, str]]:
    """{order line id: (units in return requests not rejected, the first such RMA)}."""
    rows = (
        ReturnLine.objects.filter(order_line_id__in=order_line_ids)
        .exclude(request__status=Status.REJECTED)
        .order_by("request__created_at", "pk")
        .values_list("order_line_id", "quantity", "request__rma")
    )
    claimed: dict[int, tuple[int, str]] = {}
    for line_id, quantity, rma in rows:
        total, first = claimed.get(line_id, (0, rma))
        claimed[line_id] = (total + quantity, first)
    return claimed


@dataclass(frozen=True)
class _Checked:
    lines: list[tuple[OrderLine, LineClaim]]
    eligibility: dict[int, LineEligibility]
    photos: list[Attachment]


def _check(
    *,
    order: Order,
    kind: str,
    claims: Sequence[LineClaim],
    preferred_outcome: str,
    photo_ids: Sequence[int],
    has_uploads: bool,
) -> _Checked:
    """Every reason the claim cannot be made, raised at once (ClaimInvalid), or AlreadyClaimed
    for units another request has. Locks the order's lines so that two claims for the same
    units cannot both pass."""
    problems: list[Problem] = []
    if kind not in Kind.values:
        problems.append(Problem("kind", "invalid", _("Choose a return or a defect claim.")))
    if preferred_outcome not in ReturnRequest.Outcome.values:
        problems.append(
            Problem(
                "preferred_outcome",
                "invalid",
                _("Choose a refund, a replacement or a repair."),
            )
        )
    if not claims:
        problems.append(Problem("lines", "required", _("Choose at least one item.")))
    ids = [claim.order_line_id for claim in claims]
    order_lines = {
        line.pk: line
        for line in OrderLine.objects.select_for_update()
        .filter(order=order, pk__in=ids, removed_at__isnull=True)
        .order_by("pk")
    }
    for order_line in order_lines.values():
        order_line.order = order
    claimed = claimed_quantities(order_line_ids=list(order_lines))
    chosen: list[tuple[OrderLine, LineClaim]] = []
    seen: set[int] = set()
    reasons = ReturnRequest.REASONS.get(kind, ())
    for index, claim in enumerate(claims):
        at = f"lines[{index}]"
        found = order_lines.get(claim.order_line_id)
        if found is None:
            problems.append(
                Problem(f"{at}.order_line", "not_in_order", _("That item is not in this order."))
            )
            continue
        line = found
        if line.pk in seen:
            problems.append(
                Problem(f"{at}.order_line", "duplicate", _("Each item can be listed once."))
            )
            continue
        seen.add(line.pk)
        if claim.reason_code not in reasons:
            problems.append(
                Problem(
                    f"{at}.reason_code",
                    "invalid",
                    _("Choose one of the reasons offered for this kind of claim."),
                )
            )
        if claim.quantity < 1:
            problems.append(
                Problem(f"{at}.quantity", "invalid", _("Send back at least one of this item."))
            )
        elif claim.quantity > line.quantity:
            problems.append(
                Problem(
                    f"{at}.quantity",
                    "above_bought",
                    ngettext(
                        "You bought %(bought)d of “%(title)s”: you cannot send back %(asked)d.",
                        "You bought %(bought)d of “%(title)s”: you cannot send back %(asked)d.",
                        line.quantity,
                    )
                    % {"bought": line.quantity, "title": line.title, "asked": claim.quantity},
                )
            )
        else:
            already, first = claimed.get(line.pk, (0, ""))
            if claim.quantity > line.quantity - already:
                raise AlreadyClaimed(rma=first, title=line.title, field=f"{at}.quantity")
        chosen.append((line, claim))
    eligibility = (
        order_eligibility(order=order, kind=kind, lines=[line for line, _claim in chosen])
        if kind in Kind.values
        else {}
    )
    for index, claim in enumerate(claims):
        decision = eligibility.get(claim.order_line_id)
        if decision is not None and not decision.eligible:
            problems.append(
                Problem(f"lines[{index}].order_line", decision.refusal, decision.explanation)
            )
    photos = list(
        Attachment.objects.filter(
            pk__in=set(photo_ids), message__case__customer_id=order.customer_id
        ).order_by("pk")
    )
    if len(photos) != len(set(photo_ids)):
        problems.append(
            Problem("photos", "unknown_photo", _("A photo is not one of this customer's files."))
        )
    if (
        kind == Kind.DEFECT
        and policy_for(order).photos_required_for_defect
        and not (photos or has_uploads)
    ):
        problems.append(
            Problem(
                "photos",
                "photo_required",
                _("Add at least one photo of the fault: our return policy asks for one."),
            )
        )
    if problems:
        raise ClaimInvalid(problems)
    return _Checked(lines=chosen, eligibility=eligibility, photos=photos)


def _summary(kind: str, lines: Sequence[tuple[OrderLine, LineClaim]], language: str) -> str:
    """The customer's claim in a sentence, for the case's first message when they wrote none."""
    with override(language):
        items = ", ".join(
            f"{claim.quantity} × {line.title} ({ReasonCode(claim.reason_code).label})"
            for line, claim in lines
        )
        if kind == Kind.DEFECT:
            return _("Defect claim: %(items)s") % {"items": items}
        return _("Return: %(items)s") % {"items": items}


@transaction.atomic
def return_request_submit(
    *,
    order: Order,
    kind: str,
    lines: Sequence[LineClaim],
    preferred_outcome: str,
    channel: str,
    actor: Actor = None,
    description: str = "",
    uploads: Sequence["UploadedFile[bytes]"] = (),
    photo_ids: Sequence[int] = (),
    sender_address: Address | dict[str, Any] | None = None,
) -> ReturnRequest:
    """Claim `lines` of `order` for its customer (`actor` None: the customer themselves), on a
    new case of the claim's kind. `uploads` are photos already through the evidence check
    (tickets.services.evidence); `photo_ids` name attachments of the customer's cases;
    `sender_address` is where the parcel leaves from, for the prepaid label issued on approval.

    Approved at once where the policy allows it, the value is under its maximum and the
    customer's history does not stand out (else flagged for review, or left for an agent).
    Raises ClaimInvalid (every problem, with the date or rule), AlreadyClaimed (pointing
    to the first RMA) and AddressInvalid (naming the address's fields); nothing is created
    then."""
    sender = address_from(sender_address, role="customer") if sender_address else None
    checked = _check(
        order=order,
        kind=kind,
        claims=lines,
        preferred_outcome=preferred_outcome,
        photo_ids=photo_ids,
        has_uploads=bool(uploads),
    )
    customer = order.customer
    policy = policy_for(order)
    request = ReturnRequest(
        order=order,
        kind=kind,
        preferred_outcome=preferred_outcome,
        policy=policy if policy.pk else None,
        eligibility=[decision.as_data() for decision in checked.eligibility.values()],
        sender_address=sender.as_dict() if sender else {},
    )
    language = customer.language
    with override(language):
        titles = ", ".join(line.title for line, _claim in checked.lines)
        subject = (
            _("Defect claim %(rma)s: %(items)s")
            if kind == Kind.DEFECT
            else _("Return %(rma)s: %(items)s")
        ) % {"rma": request.rma, "items": titles}
    case = case_create(
        customer=customer,
        kind=Case.Kind.DEFECT if kind == Kind.DEFECT else Case.Kind.RETURN,
        subject=subject[:255],
        channel=channel,
        actor=actor,
        order=order,
        language=language,
        description=description.strip() or _summary(kind, checked.lines, language),
        attachments=uploads,
    )
    signals = abuse_signals(customer_id=customer.pk, adding=1)
    request.case = case
    request.review_reason = signals.flag[:255]
    request.full_clean(exclude=["case", "policy"])
    request.save()
    ReturnLine.objects.bulk_create(
        ReturnLine(
            request=request,
            order_line=line,
            quantity=claim.quantity,
            reason_code=claim.reason_code,
            description=claim.description,
        )
        for line, claim in checked.lines
    )
    uploaded = (
        Attachment.objects.filter(message__case=case) if uploads else Attachment.objects.none()
    )
    request.photos.add(*checked.photos, *uploaded)
    value = claim_value(lines=[(line, claim.quantity) for line, claim in checked.lines])
    base = amount_in_base(value, order.currency)
    timeline.record(
        case=case,
        verb=Verb.REQUESTED,
        actor=actor,
        data={
            "rma": request.rma,
            "kind": kind,
            "value": str(value),
            "currency": order.currency,
            "lines": [
                {"order_line": line.pk, "quantity": claim.quantity, "reason": claim.reason_code}
                for line, claim in checked.lines
            ],
        },
    )
    if signals.flag:
        timeline.record(
            case=case,
            verb=Verb.FLAGGED,
            actor=None,
            data={
                "rma": request.rma,
                "reason": signals.flag,
                "orders": signals.orders,
                "returns": signals.returns,
                "rejected": signals.rejected,
                **timeline.BY_SYSTEM,
            },
        )
    elif _auto_approvable(kind=kind, policy=policy, value_base=base):
        request.auto_approved = True
        request.save(update_fields=["auto_approved"])
        request = _approve(request, actor=None)
    return request


def _auto_approvable(*, kind: str, policy: object, value_base: Decimal | None) -> bool:
    limit = getattr(policy, "auto_approve_max_value", None)
    if limit is None or value_base is None or value_base > limit:
        return False
    # A change of mind is taken without questions only where the policy says so; a defect
    # with the evidence the policy asks for is.
    return kind == Kind.DEFECT or bool(getattr(policy, "no_questions_asked", False))


def lock(request: ReturnRequest) -> ReturnRequest:
    """The request's row locked for a move, with what the moves read (only its own row is
    locked: the policy is an outer join, which PostgreSQL cannot lock)."""
    return (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("case__customer", "order", "policy")
        .get(pk=request.pk)
    )


def move(request: ReturnRequest, to: str, **fields: object) -> ReturnRequest:
    """The one mutator of ReturnRequest.status, on the locked row."""
    if to not in ReturnRequest.TRANSITIONS[request.status]:
        raise InvalidReturnTransition(rma=request.rma, current=request.status, target=to)
    request.status = to
    request.updated_at = timezone.now()
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["status", "updated_at", *fields])
    return request


def case_to(
    case: Case,
    to: str,
    *,
    reason: str,
    tell_customer: bool = True,
    only_from: Collection[str] | None = None,
) -> Case:
    """Move the request's case to `to`, through "open" where the spine's machine needs it;
    with `only_from`, a case in another status stays where it is."""
    case = Case.objects.get(pk=case.pk)
    if only_from is not None and case.status not in only_from:
        return case
    if case.status != to and to not in Case.TRANSITIONS[case.status]:
        case = case_transition_by_system(
            case=case, to=Case.Status.OPEN, reason=reason, tell_customer=tell_customer
        )
    return case_transition_by_system(case=case, to=to, reason=reason, tell_customer=tell_customer)


def case_waits_for_parcel(case: Case, *, waiting: bool, reason: str) -> None:
    """With the label out the case waits on the return (its SLA clocks stand still while the
    customer sends the parcel); with the parcel in, it is open again. Quiet moves: the label's
    email and the receipt's tell the customer. A case an agent moved on (waiting on the
    customer, resolved, closed) stays where it is."""
    to, only_from = (
        (Case.Status.WAITING_ON_RETURN, {Case.Status.NEW, Case.Status.OPEN})
        if waiting
        else (Case.Status.OPEN, {Case.Status.WAITING_ON_RETURN})
    )
    case_to(case, to, reason=reason, tell_customer=False, only_from=only_from)


def _approve(request: ReturnRequest, *, actor: Actor) -> ReturnRequest:
    request = lock(request)
    move(request, Status.APPROVED, decided_by=actor, decided_at=timezone.now())
    timeline.record(
        case=request.case,
        verb=Verb.APPROVED,
        actor=actor,
        data={"rma": request.rma, "by": "agent" if actor else "policy"},
    )
    case_to(request.case, Case.Status.OPEN, reason="return_approved")
    # The decision emailed (with the label, or alone below) is the customer's first answer.
    case_answered(case=request.case)
    refund_release(request, point=ReturnPolicy.RefundRelease.APPROVAL, actor=actor)
    if request.sender_address and _label(request, actor=actor) is not None:
        return request  # its email says it is approved, with the label
    notify(
        customer=request.case.customer,
        event=APPROVED_EVENT,
        key=request.rma,
        case=request.case,
        context={"return_request": request, "order": request.order},
    )
    return request


def _issue_label(request: ReturnRequest, address: Address | dict[str, Any], actor: Actor) -> Label:
    """The approved request's prepaid label (the RMA as its reference, valid as long as its
    policy says), the request moved to label_issued, its case to waiting on the return, and
    the customer emailed the steps."""
    label = label_issue(
        order=request.order,
        case=request.case,
        reference=request.rma,
        customer_address=address,
        actor=actor,
        direction=Shipment.Direction.RETURN,
        valid_days=request.policy.label_valid_days if request.policy else None,
    )
    move(request, Status.LABEL_ISSUED)
    case_waits_for_parcel(request.case, waiting=True, reason="return_label_issued")
    label_send(label=label)
    return label


def _label(request: ReturnRequest, *, actor: Actor) -> Label | None:
    """_issue_label from the address given with the claim; None when the provider or the
    address refuses, which the timeline records (the approval stands; an agent issues it
    later)."""
    try:
        with transaction.atomic():
            return _issue_label(request, request.sender_address, actor)
    except ApplicationError as refused:
        timeline.record(
            case=request.case,
            verb=Verb.LABEL_FAILED,
            actor=actor,
            data={
                "rma": request.rma,
                "reason": refused.message,
                **timeline.by_system_unless(actor),
            },
        )
        return None


@transaction.atomic
def return_label_issue(
    *,
    return_request: ReturnRequest,
    actor: Actor,
    sender_address: Address | dict[str, Any] | None = None,
) -> Label:
    """An agent issues the prepaid label of an approved request that has none yet (no address
    given, or the provider refused first), from `sender_address` (default the one given).

    Raises InvalidReturnTransition when the request is not approved, AddressInvalid, and what
    label_issue raises (LabelInvalid, LabelProviderError); nothing is stored then."""
    request = lock(return_request)
    if request.status != Status.APPROVED:
        raise InvalidReturnTransition(
            rma=request.rma, current=request.status, target=Status.LABEL_ISSUED
        )
    address = address_from(sender_address or request.sender_address, role="customer")
    request.sender_address = address.as_dict()
    request.save(update_fields=["sender_address"])
    return _issue_label(request, address, actor)


@transaction.atomic
def return_request_approve(*, return_request: ReturnRequest, actor: Actor) -> ReturnRequest:
    """An agent approves a requested return. Raises InvalidReturnTransition."""
    return _approve(return_request, actor=actor)


@transaction.atomic
def return_request_reject(
    *, return_request: ReturnRequest, actor: Actor, reason: str
) -> ReturnRequest:
    """An agent rejects the request with `reason`, which the customer reads; the case is
    resolved, and a refund the policy released and not yet paid is called off. Raises
    ReasonRequired, InvalidReturnTransition."""
    reason = reason.strip()[:REJECTION_MAX_LENGTH]
    if not reason:
        raise ReasonRequired()
    request = lock(return_request)
    move(
        request,
        Status.REJECTED,
        rejection_reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    timeline.record(
        case=request.case,
        verb=Verb.REJECTED,
        actor=actor,
        data={"rma": request.rma, "reason": reason},
    )
    refund_withdraw(request, reason=reason, actor=actor)
    notify(
        customer=request.case.customer,
        event=REJECTED_EVENT,
        key=request.rma,
        case=request.case,
        context={"return_request": request, "order": request.order, "reason": reason},
    )
    case_answered(case=request.case)
    case_to(request.case, Case.Status.RESOLVED, reason="return_rejected")
    return request
