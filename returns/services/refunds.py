"""Swift refunds: the refund decided on a return (a compensation) is kept apart from its money
movement (RefundTransaction rows: pending, succeeded, failed), so a failed refund stays visible
and is retried by starting a new transaction.

A refund starts once its compensation is approved: through an automatic payment adapter
(returns/payments, e.g. Shopify) a worker pays it at once; with the manual adapter the agent
refunds in the shop and confirms here with the shop's reference. When the money moved, the
compensation is issued, the request's `refunded_at` ends its time to refund, and the customer is
told. The policy may release the refund before inspection (on approval, when the parcel is on
its way, when it arrives): `refund_release` decides it then.

Two clocks are shown to agents (`refund_clocks`): the shop's own SLA from receipt to refund
(RETURN_REFUND_SLA_HOURS), and for an EU customer withdrawing from the purchase the legal 14
days from the day they told the shop (Directive 2011/83/EU, art. 13; the shop may hold the
refund until the items are back or the customer shows they sent them)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from returns.errors import NoRefundToStart, RefundNotPending
from returns.models import EU_COUNTRIES, EU_WITHDRAWAL_DAYS, RefundTransaction, ReturnRequest
from returns.payments import PaymentAdapter, RefundFailed, RefundSpec, payment_adapter
from returns.services.money import refund_due
from returns.verbs import Verb
from tickets.models import Compensation
from tickets.services import queue, timeline
from tickets.services.compensations import (
    compensation_cancel,
    compensation_mark_failed,
    compensation_mark_issued,
    compensation_propose,
    compensation_reject,
)
from tickets.services.notifications import notify
from tickets.services.timeline import Actor

Status = RefundTransaction.Status
PAID_BACK = (Compensation.Kind.REFUND, Compensation.Kind.PARTIAL_REFUND)
STARTABLE = (Compensation.Status.APPROVED, Compensation.Status.FAILED)
REFUNDED_EVENT = "return_refunded"
REFUND_EXECUTE = "returns.tasks.refund_execute"
# An automatic refund still pending this long after it started was not picked up (the broker
# was away): the sweeper queues it again.
STUCK_AFTER = timedelta(minutes=10)


def refund_release(request: ReturnRequest, *, point: str, actor: Actor) -> Compensation | None:
    """Called on the locked request when it reaches `point` (a ReturnPolicy.RefundRelease):
    where its policy releases the refund there and the customer asked for a refund, the refund
    due is decided now (a compensation, approved up to the approval limit) and started."""
    policy = request.policy
    released = (
        policy is not None
        and policy.refund_release == point
        and request.preferred_outcome == ReturnRequest.Outcome.REFUND
        and request.compensation_id is None
    )
    if not released:
        return None
    due, fee = refund_due(request)
    compensation = refund_decide(
        request, kind=Compensation.Kind.REFUND, amount=due, fee=fee, actor=actor
    )
    timeline.record(
        case=request.case,
        verb=Verb.REFUND_RELEASED,
        actor=actor,
        data={
            "rma": request.rma,
            "point": point,
            "amount": str(due),
            "currency": compensation.currency,
            **timeline.by_system_unless(actor),
        },
    )
    return compensation


def refund_decide(
    request: ReturnRequest, *, kind: str, amount: Decimal, fee: Decimal, actor: Actor
) -> Compensation:
    """The request's outcome as a compensation of `kind` worth `amount` (`fee` the restocking
    fee kept), kept on the request; a refund that is approved at once starts at once."""
    compensation = compensation_propose(
        case=request.case,
        kind=kind,
        amount=amount,
        actor=actor,
        note=f"{request.rma} {kind}" + (f", restocking fee {fee}" if fee else ""),
    )
    request.compensation = compensation
    request.restocking_fee = fee or None
    request.save(update_fields=["compensation", "restocking_fee"])
    if kind in PAID_BACK and compensation.status == Compensation.Status.APPROVED:
        refund_start(return_request=request, actor=actor)
    return compensation


@transaction.atomic
def refund_start(
    *, return_request: ReturnRequest, actor: Actor, adapter: PaymentAdapter | None = None
) -> RefundTransaction:
    """Start paying the request's approved refund (or retry a failed one): a pending
    transaction through `adapter` (default the configured one), paid by a worker when the
    adapter is automatic. Raises NoRefundToStart when there is no approved refund, or one is
    under way or paid already."""
    request = (
        ReturnRequest.objects.select_for_update(of=("self",))
        .select_related("case", "compensation")
        .get(pk=return_request.pk)
    )
    compensation = request.compensation
    if compensation is None or compensation.kind not in PAID_BACK:
        raise NoRefundToStart(rma=request.rma, reason="none")
    if compensation.status not in STARTABLE:
        raise NoRefundToStart(rma=request.rma, reason=compensation.status)
    if request.refund_transactions.filter(status__in=(Status.PENDING, Status.SUCCEEDED)).exists():
        raise NoRefundToStart(rma=request.rma, reason="under_way")
    adapter = adapter or payment_adapter()
    refund = RefundTransaction.objects.create(
        request=request,
        compensation=compensation,
        adapter=adapter.name,
        amount=compensation.amount,
        currency=compensation.currency,
        created_by=actor,
    )
    timeline.record(
        case=request.case,
        verb=Verb.REFUND_STARTED,
        actor=actor,
        data={
            "rma": request.rma,
            "refund": refund.pk,
            "adapter": adapter.name,
            "amount": str(refund.amount),
            "currency": refund.currency,
            **timeline.by_system_unless(actor),
        },
    )
    if adapter.automatic:
        queue.enqueue_on_commit(REFUND_EXECUTE, refund.pk)
    return refund


def _locked(refund: RefundTransaction) -> RefundTransaction:
    return (
        RefundTransaction.objects.select_for_update(of=("self",))
        .select_related("request__case__customer", "request__order", "compensation")
        .get(pk=refund.pk)
    )


def _spec(refund: RefundTransaction) -> RefundSpec:
    request = refund.request
    return RefundSpec(
        order_id=request.order.external_id,
        currency=refund.currency,
        amount=refund.amount,
        lines=tuple(
            (line.order_line.external_id, line.quantity)
            for line in request.lines.select_related("order_line")
        ),
        note=request.rma,
    )


@transaction.atomic
def refund_execute(
    *, refund_id: int, adapter: PaymentAdapter | None = None
) -> RefundTransaction | None:
    """Pay a pending automatic refund through its adapter (the worker's task; the row stays
    locked during the call, so a task delivered twice pays once). None when the row is gone."""
    found = RefundTransaction.objects.filter(pk=refund_id).first()
    if found is None:
        return None
    refund = _locked(found)
    adapter = adapter or payment_adapter(refund.adapter)
    if refund.status != Status.PENDING or not adapter.automatic:
        return refund
    try:
        reference = adapter.refund(_spec(refund))
    except RefundFailed as exc:
        return _fail(refund, str(exc) or _("The payment provider refused."), actor=None)
    return _succeed(refund, reference, actor=None)


def pending_refund(request: ReturnRequest) -> RefundTransaction:
    """The request's refund transaction under way; raises RefundNotPending without one."""
    pending = request.refund_transactions.filter(status=Status.PENDING).first()
    if pending is None:
        raise RefundNotPending(rma=request.rma, current="none")
    return pending


def _pending(refund: RefundTransaction) -> RefundTransaction:
    refund = _locked(refund)
    if refund.status != Status.PENDING:
        raise RefundNotPending(rma=refund.request.rma, current=refund.status)
    return refund


@transaction.atomic
def refund_confirm(*, refund: RefundTransaction, reference: str, actor: Actor) -> RefundTransaction:
    """The agent refunded in the shop: the pending refund succeeded with the shop's
    `reference`. Raises ValidationError without a reference, RefundNotPending."""
    reference = reference.strip()[:255]
    if not reference:
        raise ValidationError(
            {"reference": [_("Enter the shop's reference of the refund, for the records.")]}
        )
    return _succeed(_pending(refund), reference, actor=actor)


@transaction.atomic
def refund_fail(*, refund: RefundTransaction, reason: str, actor: Actor) -> RefundTransaction:
    """The shop could not pay the pending refund (`reason`); it can be started again. Raises
    ValidationError without a reason, RefundNotPending."""
    reason = reason.strip()[:500]
    if not reason:
        raise ValidationError({"reason": [_("Say why the refund failed.")]})
    return _fail(_pending(refund), reason, actor=actor)


def _succeed(refund: RefundTransaction, reference: str, *, actor: Actor) -> RefundTransaction:
    now = timezone.now()
    refund.status, refund.reference, refund.completed_at = Status.SUCCEEDED, reference, now
    refund.save(update_fields=["status", "reference", "completed_at"])
    compensation = compensation_mark_issued(
        compensation=refund.compensation, actor=actor, external_reference=reference
    )
    request = refund.request
    ReturnRequest.objects.filter(pk=request.pk).update(refunded_at=now)
    timeline.record(
        case=request.case,
        verb=Verb.REFUNDED,
        actor=actor,
        data={
            "rma": request.rma,
            "refund": refund.pk,
            "amount": str(refund.amount),
            "currency": refund.currency,
            "reference": reference,
            **timeline.by_system_unless(actor),
        },
    )
    notify(
        customer=request.case.customer,
        event=REFUNDED_EVENT,
        key=f"{request.rma}:{refund.pk}",
        case=request.case,
        context={"return_request": request, "order": request.order, "compensation": compensation},
    )
    return refund


def _fail(refund: RefundTransaction, reason: str, *, actor: Actor) -> RefundTransaction:
    refund.status, refund.error, refund.completed_at = Status.FAILED, reason[:500], timezone.now()
    refund.save(update_fields=["status", "error", "completed_at"])
    if refund.compensation.status != Compensation.Status.FAILED:  # a retry failing again
        compensation_mark_failed(compensation=refund.compensation, actor=actor, reason=refund.error)
    timeline.record(
        case=refund.request.case,
        verb=Verb.REFUND_FAILED,
        actor=actor,
        data={
            "rma": refund.request.rma,
            "refund": refund.pk,
            "reason": refund.error,
            **timeline.by_system_unless(actor),
        },
    )
    return refund


def refund_withdraw(request: ReturnRequest, *, reason: str, actor: Actor) -> None:
    """Call off the refund of a request that is rejected after its refund was released: a
    pending transaction fails, and the compensation is rejected (still proposed) or cancelled
    (approved, or failed before), with `reason`. A refund already paid stays; the agent
    settles it with the customer in the shop. Called on the locked request."""
    compensation = request.compensation
    if compensation is None or compensation.kind not in PAID_BACK:
        return
    note = _("Called off: the return was rejected.")
    RefundTransaction.objects.filter(request=request, status=Status.PENDING).update(
        status=Status.FAILED, error=note, completed_at=timezone.now()
    )
    compensation.refresh_from_db()
    if compensation.status == Compensation.Status.PROPOSED:
        compensation_reject(compensation=compensation, actor=actor, reason=reason)
    elif compensation.status in STARTABLE:
        compensation_cancel(compensation=compensation, actor=actor, reason=reason)


def refunds_sweep() -> int:
    """Queue again the automatic refunds left pending (the broker was away when they started);
    how many."""
    cutoff = timezone.now() - STUCK_AFTER
    ids = list(
        RefundTransaction.objects.filter(status=Status.PENDING, created_at__lt=cutoff)
        .exclude(adapter="manual")
        .values_list("pk", flat=True)[:500]
    )
    for pk in ids:
        queue.enqueue(REFUND_EXECUTE, pk)
    return len(ids)


@dataclass(frozen=True)
class RefundClocks:
    """The two deadlines of a request's refund, and when it was paid."""

    sla_due: datetime | None  # the shop's promise, from receipt
    legal_due: date | None  # the EU right of withdrawal's 14 days
    refunded_at: datetime | None

    def sla_late(self, now: datetime) -> bool:
        end = self.refunded_at or now
        return self.sla_due is not None and end > self.sla_due

    def legal_late(self, now: datetime) -> bool:
        end = timezone.localdate(self.refunded_at or now)
        return self.legal_due is not None and end > self.legal_due


def refund_matters(request: ReturnRequest) -> bool:
    """Whether the request has a refund to follow: the customer asked for one, or it was
    decided."""
    compensation = request.compensation
    decided = compensation is not None and compensation.kind in PAID_BACK
    return decided or request.preferred_outcome == ReturnRequest.Outcome.REFUND


def refund_clocks(request: ReturnRequest) -> RefundClocks:
    """The clocks of a request whose refund matters (the customer wants one, or it was
    decided); an EU withdrawal (a return, not a defect claim) has the legal one as well."""
    sla_due = None
    if request.received_at:
        sla_due = request.received_at + timedelta(hours=settings.RETURN_REFUND_SLA_HOURS)
    country = request.order.shipping_country
    legal_due = None
    if request.kind == ReturnRequest.Kind.RETURN and country and country.code in EU_COUNTRIES:
        told = timezone.localdate(request.created_at)
        legal_due = told + timedelta(days=EU_WITHDRAWAL_DAYS)
    return RefundClocks(sla_due=sla_due, legal_due=legal_due, refunded_at=request.refunded_at)
