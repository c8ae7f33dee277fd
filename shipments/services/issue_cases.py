"""The one shipment-issue case of a shipment: detection, the customer's "my parcel hasn't
arrived" and an agent's "declare lost" all land on the same case, never a second one."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from shipments.models import Shipment
from tickets.models import Case
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
