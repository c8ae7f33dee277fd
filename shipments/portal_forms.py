"""The portal's parcel form: validation only (the files are checked by the view through
tickets.services.evidence, as the general case form does)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shipments.models import Shipment
from tickets.portal.forms import MESSAGE_MAX_LENGTH, PortalForm


class ParcelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Shipment) -> str:  # type: ignore[override]
        return f"{obj.carrier.name} {obj.tracking_number}"


class ParcelReportForm(PortalForm):
    """Which parcel of the order, and optionally what the customer wants us to know."""

    shipment = ParcelChoiceField(
        label=_("Which parcel?"),
        queryset=Shipment.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Please choose the parcel."),
            "invalid_choice": _("Please choose a parcel of this order."),
        },
    )
    message = forms.CharField(
        label=_("Anything else we should know? (optional)"),
        help_text=_("For example: the tracking page has not changed for days."),
        max_length=MESSAGE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, parcels: list[Shipment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["shipment"]
        field.queryset = Shipment.objects.filter(  # type: ignore[attr-defined]
            pk__in=[parcel.pk for parcel in parcels]
        ).select_related("carrier")
