"""Who may read a label: the customer whose order it is (return labels, in the portal) and the
agents who see the case it was made for."""

from shipments.labels.models import Label
from shipments.models import Shipment
from tickets.models import Customer
from tickets.selectors.access import AnyUser, case_visible_to


def portal_label_get(*, customer: Customer, label_id: int) -> Label | None:
    """`customer`'s own return label `label_id`, else None (another customer's is the same as
    none)."""
    return (
        Label.objects.filter(
            pk=label_id,
            shipment__order__customer=customer,
            shipment__direction=Shipment.Direction.RETURN,
        )
        .select_related("shipment__carrier", "shipment__order__customer", "shipment__case")
        .first()
    )


def label_for_agent(*, pk: int, user: AnyUser) -> Label | None:
    """Label `pk` if `user` sees the case its shipment was made for, else None."""
    return (
        Label.objects.filter(case_visible_to(user, via="shipment__case"), pk=pk)
        .select_related("shipment__carrier", "shipment__order__customer", "shipment__case")
        .first()
    )
