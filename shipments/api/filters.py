"""Query parameters of /api/v1/shipments/."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from shipments.models import Shipment, ShipmentStatus
from tickets.api.filters import StableOrderingFilter, StrictFilterSet


class ShipmentFilter(StrictFilterSet):
    tracking_number = filters.CharFilter(help_text=_("The carrier's tracking number, exactly."))
    order = filters.CharFilter(
        field_name="order__number", help_text=_("The shop's order number, exactly.")
    )
    store = filters.CharFilter(field_name="order__store", help_text=_("The order's store."))
    status = filters.ChoiceFilter(
        choices=ShipmentStatus.choices, help_text=_("Our normalised tracking status.")
    )
    carrier = filters.CharFilter(
        field_name="carrier__code", help_text=_("Our carrier code, e.g. `dhl_express`.")
    )
    direction = filters.ChoiceFilter(
        choices=Shipment.Direction.choices, help_text=_("outbound, return or replacement.")
    )
    ordering = StableOrderingFilter(
        fields=["created_at", "updated_at"],
        help_text=_("Sort by these fields, comma-separated; a leading `-` sorts descending."),
    )

    class Meta:
        model = Shipment
        fields = ["tracking_number", "status", "direction"]
