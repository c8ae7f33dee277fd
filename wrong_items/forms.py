"""Form validation of the wrong-item actions (workspace) and the customer's report (portal)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tickets.models import OrderLine
from wrong_items.models import DiscountCode, RootCause, WrongItemReport


class ReshipForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)
    carrier = forms.CharField(label=_("Carrier"), max_length=100)


class DiscountForm(forms.Form):
    value_type = forms.ChoiceField(label=_("Type"), choices=DiscountCode.ValueType.choices)
    value = forms.DecimalField(label=_("Value"), max_digits=10, decimal_places=2, min_value=0.01)
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False)
    expires_on = forms.DateField(label=_("Expires on"), required=False)


class RootCauseForm(forms.Form):
    category = forms.ChoiceField(label=_("Root cause"), choices=RootCause.Category.choices)
    warehouse = forms.CharField(label=_("Warehouse"), max_length=64, required=False)
    expected_sku = forms.CharField(label=_("Expected SKU"), max_length=64, required=False)
    received_sku = forms.CharField(label=_("Received SKU"), max_length=64, required=False)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False)


class PreventiveActionForm(forms.Form):
    description = forms.CharField(label=_("What will change"), max_length=2000)
    owner = forms.CharField(label=_("Owner"), max_length=100)
    due_date = forms.DateField(label=_("Due date"), required=False)


class LineChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: OrderLine) -> str:  # type: ignore[override]
        return f"{obj.title} ({obj.sku})" if obj.sku else obj.title


class PortalReportForm(forms.Form):
    """The customer's report; the photos come as files beside it (checked as evidence)."""

    line = LineChoiceField(
        label=_("Which item was wrong?"),
        queryset=OrderLine.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose an item of this order.")},
    )
    received = forms.CharField(
        label=_("What did you receive instead?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    received_sku = forms.CharField(
        label=_("SKU or barcode on the package (optional)"), max_length=64, required=False
    )
    preference = forms.ChoiceField(
        label=_("What would you like?"),
        choices=WrongItemReport.Preference.choices,
        initial=WrongItemReport.Preference.RESHIP,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, lines: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["line"].queryset = lines  # type: ignore[attr-defined]
