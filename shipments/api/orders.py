"""The order an API request names by number (and store, where numbers repeat across stores),
for the endpoints that create something for an order: shipments, and returns."""

from django.utils.translation import gettext as _
from rest_framework import exceptions

from shipments.selectors.shipments import order_for_shipment
from tickets.models import Order
from tickets.selectors.access import AnyUser


def order_named(*, user: AnyUser, number: str, store: str = "") -> Order:
    """The one order numbered `number` (in `store`) that `user` may browse; a 400 naming the
    field when there is none, or several and no store to tell them apart."""
    orders = order_for_shipment(user=user, number=number, store=store)
    if not orders:
        raise exceptions.ValidationError(
            {"order_number": [_("No order %(number)s.") % {"number": number}]}
        )
    if len(orders) > 1:
        raise exceptions.ValidationError(
            {
                "store": [
                    _("Several stores have order %(number)s: give its store.") % {"number": number}
                ]
            }
        )
    return orders[0]
