"""Reads for the lost-parcel flow: the workspace panel's shipments, findings and claims, the
agent's shipment by id (among the cases they see) and the customer's lost parcel."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from shipments.models import Finding, InsuranceClaim, Shipment, TrackingEvent
from shipments.services.claims import (
    claim_days_left,
    claim_filing_deadline,
    shipment_is_insured,
)
from tickets.models import Case, Customer
from tickets.selectors.access import AnyUser, case_visible_to


def shipment_for_agent(*, pk: int, user: AnyUser) -> Shipment | None:
    """Shipment `pk` if `user` sees the case it is about (its shipment-issue case) or was made
    for (a replacement), else None."""
    visible = case_visible_to(user, via="issue_case") | case_visible_to(user, via="case")
    return (
        Shipment.objects.filter(visible, pk=pk)
        .select_related("carrier", "order__customer", "issue_case", "case")
        .first()
    )


def _outbound_parcels(case: Case) -> QuerySet[Shipment]:
    """The parcels of `case`'s order on their way to the customer, if it is a shipment-issue
    case with an order; none otherwise."""
    if case.kind != Case.Kind.SHIPMENT_ISSUE or case.order_id is None:
        return Shipment.objects.none()
    return Shipment.objects.filter(order_id=case.order_id, direction=Shipment.Direction.OUTBOUND)


def parcels_to_link(*, case: Case) -> list[Shipment]:
    """The parcels of `case`'s order on their way to the customer that no case is about yet,
    oldest first: what a shipment-issue case opened about the order, without its parcel, may be
    linked to (issue_case_link)."""
    parcels = _outbound_parcels(case).filter(issue_case__isnull=True).select_related("carrier")
    return list(parcels.order_by("shipped_at", "id"))


def parcel_to_link_get(*, pk: int, case: Case) -> Shipment | None:
    """Parcel `pk` if it is one of `case`'s order on its way to the customer (linked to a case
    or not), else None."""
    return _outbound_parcels(case).filter(pk=pk).first()


def claim_for_agent(*, pk: int, user: AnyUser) -> InsuranceClaim | None:
    """Insurance claim `pk` if `user` sees its case, else None."""
    return (
        InsuranceClaim.objects.filter(case_visible_to(user, via="case"), pk=pk)
        .select_related("case", "shipment__carrier")
        .first()
    )


def portal_lost_shipment_get(*, customer: Customer, shipment_id: int) -> Shipment | None:
    """The customer's own parcel `shipment_id` once it is declared lost, else None (another
    customer's parcel is the same as none)."""
    return (
        Shipment.objects.filter(
            pk=shipment_id,
            order__customer=customer,
            declared_lost_at__isnull=False,
            issue_case__isnull=False,
        )
        .select_related("carrier", "order", "issue_case")
        .first()
    )


@dataclass
class ShipmentPanel:
    """One shipment as the workspace panel shows it."""

    shipment: Shipment
    events: list[TrackingEvent]
    findings: list[Finding]
    claims: list[InsuranceClaim]
    insured: bool
    is_issue: bool
    deadline: date | None = None
    days_left: int | None = None
    can_file_claim: bool = False
    replacement: Shipment | None = None
    tracking_link: str = ""


def case_shipments(*, case: Case) -> list[Shipment]:
    """The shipments of `case`: the one it is about and those made for it (a replacement),
    with their events and findings, in two more queries whatever their number, and the claims
    of the insured ones in one more. A shipment of the case's own order is handed that order,
    read with the case, rather than joining it again (which cost a third of this query's time);
    one of another order reads it when asked."""
    shipments = list(
        Shipment.objects.filter(Q(issue_case=case) | Q(case=case))
        .select_related("carrier", "label")
        .prefetch_related(
            Prefetch("events", queryset=TrackingEvent.objects.order_by("-occurred_at", "-id")),
            Prefetch("findings", queryset=Finding.objects.order_by("found_at", "id")),
        )
        .order_by("created_at", "id")
    )
    order = case.order if case.order_id is not None else None
    for shipment in shipments:
        if order is not None and shipment.order_id == order.pk:
            shipment.order = order
    # Only an insured shipment's claims are shown (and only it can have one filed): the cases
    # whose parcels are not insured, most of them, read none.
    prefetch_related_objects(
        [shipment for shipment in shipments if shipment_is_insured(shipment)],
        Prefetch("claims", queryset=InsuranceClaim.objects.order_by("-filed_at", "-id")),
    )
    return shipments


def case_shipment_panels(*, case: Case) -> list[ShipmentPanel]:
    """What the workspace panel shows for each shipment of `case`."""
    shipments = case_shipments(case=case)
    panels = []
    replacement = next(
        (s for s in shipments if s.direction == Shipment.Direction.REPLACEMENT), None
    )
    for shipment in shipments:
        insured = shipment_is_insured(shipment)
        claims = list(shipment.claims.all()) if insured else []
        is_issue = shipment.issue_case_id == case.pk
        deadline = claim_filing_deadline(shipment) if insured and is_issue else None
        days_left = claim_days_left(deadline)
        lost = shipment.declared_lost_at is not None or shipment.status == "lost"
        open_claim = any(claim.status != InsuranceClaim.Status.REJECTED for claim in claims)
        panels.append(
            ShipmentPanel(
                shipment=shipment,
                events=list(shipment.events.all()),
                findings=list(shipment.findings.all()),
                claims=claims,
                insured=insured,
                is_issue=is_issue,
                deadline=deadline,
                days_left=days_left,
                can_file_claim=bool(
                    insured
                    and is_issue
                    and (lost or shipment.incident_reason == "damaged")
                    and not open_claim
                    and days_left is not None
                    and days_left >= 0
                ),
                replacement=replacement if is_issue else None,
                tracking_link=shipment.tracking_link,
            )
        )
    return panels
