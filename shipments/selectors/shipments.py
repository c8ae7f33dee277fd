"""Shipments as the API and pages read them, filtered by who may see them."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from shipments.models import Shipment, TrackingEvent
from tickets.models import Case, CaseVisibility, Order
from tickets.selectors import case_visibility_of, case_visible_to
from tickets.selectors.access import AnyUser


def shipment_visible_to(user: AnyUser) -> Q:
    """The shipments `user` may see, as a filter on Shipment: those of an order that has no
    case yet or has a case they see (the rule of the orders they may browse)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if case_visibility_of(user=user) == CaseVisibility.ALL:
        return Q()
    cases = Case.objects.filter(order=OuterRef("order"))
    return Q(~Exists(cases)) | Q(Exists(cases.filter(case_visible_to(user))))


def shipment_list_for(*, user: AnyUser) -> QuerySet[Shipment]:
    """The shipments `user` may see, newest first, with their carrier and order."""
    return (
        Shipment.objects.select_related("carrier", "order")
        .filter(shipment_visible_to(user))
        .order_by("-created_at", "-pk")
    )


def shipment_detail_for(*, user: AnyUser) -> QuerySet[Shipment]:
    """shipment_list_for with each shipment's tracking events, oldest first."""
    events = Prefetch("events", queryset=TrackingEvent.objects.order_by("occurred_at", "pk"))
    return shipment_list_for(user=user).prefetch_related(events)


def order_for_shipment(*, user: AnyUser, number: str, store: str = "") -> list[Order]:
    """The orders numbered `number` (in `store`, if given) that `user` may browse: one, or
    none, or several where the number is not unique across stores."""
    orders = Order.objects.filter(number=number)
    if store:
        orders = orders.filter(store=store)
    if case_visibility_of(user=user) != CaseVisibility.ALL:
        cases = Case.objects.filter(order=OuterRef("pk"))
        orders = orders.filter(Q(~Exists(cases)) | Q(Exists(cases.filter(case_visible_to(user)))))
    return list(orders.select_related("customer")[:2])
