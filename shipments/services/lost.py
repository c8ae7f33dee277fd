"""Making it right when a parcel is lost: an agent declares it lost, the customer (or the agent
for them) chooses a refund or a replacement, once, and a replacement goes out expedited as a
`replacement` shipment on the same case.

The replacement shipment is created when its tracking number is known: at the choice, when the
agent gives one, or later with `replacement_ship` (the agent's "Ship replacement" form or the
shipments API). Until then the case shows "replacement to ship". A placeholder number would
collide with the one-number-per-carrier rule and leak into tracking, so there is none."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from shipments.errors import (
    AlreadyDeclaredLost,
    AlreadyDelivered,
    NotDeclaredLost,
    NotToCustomer,
    OutcomeAlreadyChosen,
    ReplacementAlreadyShipped,
    ReplacementNotChosen,
)
from shipments.models import Carrier, Finding, IncidentReason, Shipment, ShipmentStatus
from shipments.services.issue_cases import issue_case_for
from shipments.signals import StatusChange, status_changed
from shipments.verbs import Verb
from tickets.models import Case, Compensation
from tickets.services import timeline
from tickets.services.cases import case_answered
from tickets.services.compensations import compensation_goods_shipped, compensation_propose
from tickets.services.notifications import notify
from tickets.services.timeline import Actor

Outcome = Shipment.LostOutcome

# Events of templates/notifications/<event>/ this module sends.
LOST_EVENT = "shipment_lost"
OUTCOME_EVENT = "shipment_lost_outcome"
REPLACEMENT_EVENT = "shipment_replacement_shipped"


def lost_choice_path(shipment: Shipment) -> str:
    """The portal page where the customer chooses a refund or a replacement for `shipment`."""
    return reverse("shipments:portal-lost-choice", args=[shipment.pk])


def _by(actor: Actor, *, customer: bool) -> dict[str, str]:
    """How the timeline names who acted when no agent did (the workspace reads "by")."""
    if actor is not None:
        return {}
    return {"by": "customer" if customer else "system"}


def _lock(shipment: Shipment) -> Shipment:
    return (
        Shipment.objects.select_for_update().select_related("order__customer").get(pk=shipment.pk)
    )


@transaction.atomic
def shipment_declare_lost(*, shipment: Shipment, actor: Actor) -> Case:
    """Declare `shipment` lost (an agent, or None for the system): its shipment-issue case is
    opened or found, a "presumed lost" finding recorded if none is open, and the customer asked
    to choose a refund or a replacement. That question answers the customer: the response
    clocks stop, and a new case, or one waiting on the carrier, opens. Returns the case.

    Raises AlreadyDelivered, AlreadyDeclaredLost, NotToCustomer (a return parcel)."""
    case, _opened = issue_case_for(
        shipment=shipment,
        channel=Case.Channel.AGENT if actor else Case.Channel.SYSTEM,
        actor=actor,
        priority=Case.Priority.HIGH,
    )
    # issue_case_for locked the row already; read it again under that lock.
    locked = _lock(shipment)
    if locked.direction == Shipment.Direction.RETURN:
        raise NotToCustomer
    if locked.status == ShipmentStatus.DELIVERED:
        raise AlreadyDelivered(locked.tracking_number)
    if locked.declared_lost_at is not None:
        raise AlreadyDeclaredLost(locked.tracking_number)
    now = timezone.now()
    open_finding = Finding.objects.filter(
        rule=Finding.Rule.PRESUMED_LOST, shipment=locked, cleared_at__isnull=True
    ).exists()
    if not open_finding:
        Finding.objects.create(
            rule=Finding.Rule.PRESUMED_LOST,
            order_id=locked.order_id,
            shipment=locked,
            case=case,
            data={"source": "agent" if actor else "system"},
            found_at=now,
        )
    # An agent's word ends tracking: nothing polls or detects a lost parcel any more (the
    # intake keeps storing late events, and never moves a final status back).
    Shipment.objects.filter(pk=locked.pk).update(
        status=ShipmentStatus.LOST,
        incident_reason=IncidentReason.LOST,
        declared_lost_at=now,
        check_at=None,
        updated_at=now,
    )
    previous = locked.status
    locked.refresh_from_db()
    shipment.status, shipment.declared_lost_at = locked.status, locked.declared_lost_at
    # An agent's word moves the status as a carrier's event would: listeners hear of it too.
    change = StatusChange(
        shipment_id=locked.pk,
        previous=previous,
        status=locked.status,
        incident_reason=locked.incident_reason,
        at=now,
        event_id=0,
        direction=locked.direction,
        case_id=locked.case_id,
        issue_case_id=case.pk,
    )
    status_changed.send(sender=Shipment, changes=[change])
    timeline.record(
        case=case,
        verb=Verb.DECLARED_LOST,
        actor=actor,
        data={
            "shipment": locked.pk,
            "tracking_number": locked.tracking_number,
            **_by(actor, customer=False),
        },
    )
    notify(
        customer=locked.order.customer,
        event=LOST_EVENT,
        key=str(locked.pk),
        case=case,
        context={
            "shipment": locked,
            "order": locked.order,
            "link_path": lost_choice_path(locked),
        },
    )
    # The email asking the customer to choose answers them, and the case is being worked (one
    # waiting on the carrier opened on the status change above; no status email on top).
    return case_answered(case=case, reason="declared_lost")


def _compensation_note(shipment: Shipment, outcome: str, language: str) -> str:
    with override(language):
        if outcome == Outcome.REFUND:
            return _("Parcel %(number)s lost: the order is refunded.") % {
                "number": shipment.tracking_number
            }
        return _("Parcel %(number)s lost: the order is sent again, expedited.") % {
            "number": shipment.tracking_number
        }


@transaction.atomic
def lost_outcome_choose(
    *,
    shipment: Shipment,
    outcome: str,
    actor: Actor = None,
    tracking_number: str = "",
    carrier: Carrier | None = None,
) -> Compensation:
    """Settle the lost `shipment` with `outcome` ("refund" or "replacement"): the customer in
    the portal (`actor` None) or an agent for them. A compensation of the order's value is
    proposed on the shipment-issue case (approved at once within the approval limit); for a
    replacement with `tracking_number`, its shipment is created too (else later, see
    `replacement_ship`). Returns the compensation.

    Raises NotDeclaredLost, OutcomeAlreadyChosen (a second choice, whoever makes it),
    ValueError for an outcome that is neither, and what compensation_propose raises
    (CaseClosed, MissingExchangeRate)."""
    if outcome not in (Outcome.REFUND, Outcome.REPLACEMENT):
        raise ValueError(f"Unknown outcome {outcome!r}.")
    locked = _lock(shipment)
    if locked.declared_lost_at is None or locked.issue_case_id is None:
        raise NotDeclaredLost(locked.tracking_number)
    if locked.lost_outcome:
        raise OutcomeAlreadyChosen(str(Outcome(locked.lost_outcome).label))
    case, _opened = issue_case_for(shipment=locked)
    order = locked.order
    compensation = compensation_propose(
        case=case,
        kind=Compensation.Kind.REFUND
        if outcome == Outcome.REFUND
        else Compensation.Kind.REPLACEMENT,
        amount=Decimal(order.total),
        currency=order.currency,
        actor=actor,
        note=_compensation_note(locked, outcome, case.language),
        by_customer=actor is None,
    )
    Shipment.objects.filter(pk=locked.pk).update(lost_outcome=outcome, updated_at=timezone.now())
    locked.lost_outcome = shipment.lost_outcome = outcome
    timeline.record(
        case=case,
        verb=Verb.OUTCOME_CHOSEN,
        actor=actor,
        data={
            "shipment": locked.pk,
            "outcome": outcome,
            "compensation": compensation.pk,
            **_by(actor, customer=True),
        },
    )
    notify(
        customer=order.customer,
        event=OUTCOME_EVENT,
        key=str(locked.pk),
        case=case,
        context={"shipment": locked, "order": order, "outcome": outcome},
    )
    if outcome == Outcome.REPLACEMENT and tracking_number.strip():
        replacement_ship(
            shipment=locked, tracking_number=tracking_number, carrier=carrier, actor=actor
        )
    return compensation


def replacement_of(shipment: Shipment) -> Shipment | None:
    """The replacement shipment sent for the lost `shipment`, or None (not shipped yet)."""
    if shipment.issue_case_id is None:
        return None
    return (
        Shipment.objects.filter(
            case_id=shipment.issue_case_id, direction=Shipment.Direction.REPLACEMENT
        )
        .select_related("carrier")
        .first()
    )


def _replacement_cost(case: Case) -> Compensation | None:
    """The issue case's oldest replacement compensation that has not gone out yet, or None."""
    return (
        Compensation.objects.filter(case=case, kind=Compensation.Kind.REPLACEMENT)
        .exclude(
            status__in=[
                Compensation.Status.ISSUED,
                Compensation.Status.REJECTED,
                Compensation.Status.CANCELLED,
            ]
        )
        .first()
    )


@transaction.atomic
def replacement_ship(
    *,
    shipment: Shipment,
    tracking_number: str,
    actor: Actor,
    carrier: Carrier | None = None,
) -> Shipment:
    """The replacement for the lost `shipment` left the warehouse as `tracking_number` (with
    `carrier`, by default the lost parcel's): a `replacement` shipment, expedited, made for
    the same case, its approved cost issued with the tracking number as reference, and the
    customer told with its tracking link. Returns it.

    Raises ReplacementNotChosen, ReplacementAlreadyShipped, ValidationError (an empty number
    or one the carrier already has)."""
    locked = _lock(shipment)
    if locked.lost_outcome != Outcome.REPLACEMENT or locked.issue_case_id is None:
        raise ReplacementNotChosen
    existing = replacement_of(locked)
    if existing is not None:
        raise ReplacementAlreadyShipped(existing.tracking_number)
    case, _opened = issue_case_for(shipment=locked)
    now = timezone.now()
    replacement = Shipment(
        order_id=locked.order_id,
        direction=Shipment.Direction.REPLACEMENT,
        carrier=carrier or locked.carrier,
        service_level=Shipment.ServiceLevel.EXPEDITED,
        tracking_number=tracking_number.strip(),
        status=ShipmentStatus.PENDING,
        shipped_at=now,
        origin_country=locked.origin_country,
        destination_country=locked.destination_country,
        insured=locked.insured,
        insured_value=locked.insured_value,
        insured_currency=locked.insured_currency,
        case=case,
        # Detection and polling look at it from now on, like any new shipment.
        check_at=now,
    )
    replacement.full_clean()
    replacement.save()
    compensation_goods_shipped(
        compensation=_replacement_cost(case),
        actor=actor,
        tracking_number=replacement.tracking_number,
    )
    timeline.record(
        case=case,
        verb=Verb.REPLACEMENT_SHIPPED,
        actor=actor,
        data={
            "shipment": replacement.pk,
            "replaces": locked.pk,
            "tracking_number": replacement.tracking_number,
            "carrier": replacement.carrier.code,
            **_by(actor, customer=False),
        },
    )
    notify(
        customer=locked.order.customer,
        event=REPLACEMENT_EVENT,
        key=str(replacement.pk),
        case=case,
        context={
            "shipment": replacement,
            "order": locked.order,
            "tracking_link": replacement.tracking_link,
        },
    )
    return replacement
