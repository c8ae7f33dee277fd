"""The one shipment-issue case of a shipment: detection, the customer's "my parcel hasn't
arrived" and an agent's "declare lost" all land on the same case, never a second one."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from shipments.errors import CaseHasParcel, ParcelOfAnotherCase
from shipments.models import Shipment
from shipments.verbs import Verb
from tickets.models import Case
from tickets.services import timeline
from tickets.services.cases import case_create
from tickets.services.timeline import Actor


@transaction.atomic
def issue_case_for(
    *,
    shipment: Shipment,
    channel: str = Case.Channel.SYSTEM,
    actor: Actor = None,
    priority: str = Case.Priority.NORMAL,
    description: str = "",
) -> tuple[Case, bool]:
    """The shipment-issue case of `shipment` (locked), opened now if it has none: (case,
    opened). A case that exists keeps its priority and status; the caller moves them."""
    locked = (
        Shipment.objects.select_for_update().select_related("order__customer").get(pk=shipment.pk)
    )
    if locked.issue_case_id is not None:
        case = Case.objects.select_for_update().get(pk=locked.issue_case_id)
        shipment.issue_case = case
        return case, False
    customer = locked.order.customer
    with override(customer.language):
        subject = _("Parcel %(tracking_number)s for order %(order)s") % {
            "tracking_number": locked.tracking_number,
            "order": locked.order.number,
        }
    case = case_create(
        customer=customer,
        kind=Case.Kind.SHIPMENT_ISSUE,
        subject=subject,
        channel=channel,
        actor=actor,
        order=locked.order,
        priority=priority,
        description=description,
        # Linked before the customer is told, so the first message has the tracking link.
        link=lambda case: Shipment.objects.filter(pk=locked.pk).update(issue_case=case),
    )
    shipment.issue_case = case
    return case, True


@transaction.atomic
def issue_case_link(*, shipment: Shipment, case: Case, actor: Actor) -> None:
    """Make `case` the shipment-issue case of `shipment`, a parcel of the case's order on its way
    to the customer: a case the customer opened about their order ("where is my parcel?")
    then shows its tracking and offers the lost-parcel actions, which land on this case.

    Raises ParcelOfAnotherCase, CaseHasParcel; ValueError for what the callers never offer (a
    parcel of another order or not on its way out, a case of another kind: parcels_to_link)."""
    locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
    if not (
        locked.order_id == case.order_id
        and locked.direction == Shipment.Direction.OUTBOUND
        and case.kind == Case.Kind.SHIPMENT_ISSUE
    ):
        raise ValueError("only an outbound parcel of a shipment-issue case's order can be linked")
    if locked.issue_case_id is not None:
        other = Case.objects.values_list("number", flat=True).get(pk=locked.issue_case_id)
        raise ParcelOfAnotherCase(locked.tracking_number, other)
    # The case locked after the parcel, as issue_case_for does: two parcels linked to it at
    # once wait for each other, and the second finds the first.
    Case.objects.select_for_update().get(pk=case.pk)
    if Shipment.objects.filter(issue_case=case).exists():
        raise CaseHasParcel
    Shipment.objects.filter(pk=locked.pk).update(issue_case=case)
    shipment.issue_case = case
    timeline.record(
        case=case,
        verb=Verb.LINKED,
        actor=actor,
        data={"shipment": locked.pk, "tracking_number": locked.tracking_number},
    )
