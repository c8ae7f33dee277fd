"""Form validation for the lost-parcel flow's agent actions and the customer's choice."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from shipments.models import Carrier, InsuranceClaim, Shipment, ShipmentStatus


class OutcomeForm(forms.Form):
    """Refund or replacement: the customer's choice, or the agent's for them."""

    outcome = forms.ChoiceField(
        label=_("How to make it right"),
        choices=[
            (Shipment.LostOutcome.REFUND, _("Refund")),
            (Shipment.LostOutcome.REPLACEMENT, _("Replacement")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a refund or a replacement.")},
    )


class AgentOutcomeForm(OutcomeForm):
    tracking_number = forms.CharField(
        label=_("Replacement's tracking number (if shipped)"), max_length=64, required=False
    )


class ReplacementForm(forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=64)
    carrier = forms.ModelChoiceField(
        label=_("Carrier"),
        queryset=Carrier.objects.all(),
        required=False,
        empty_label=_("Same carrier"),
        to_field_name="code",
    )


class ClaimAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Provider's answer"),
        choices=[
            (value, label)
            for value, label in InsuranceClaim.Status.choices
            if value != InsuranceClaim.Status.SUBMITTED
        ],
    )
    amount_approved = forms.DecimalField(
        label=_("Amount approved or paid"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=3,
    )
    reason = forms.CharField(label=_("Reason (for a rejection)"), max_length=500, required=False)
    provider_reference = forms.CharField(
        label=_("Provider's reference"), max_length=100, required=False
    )


class ManualEventForm(forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    status = forms.ChoiceField(label=_("Status"), choices=ShipmentStatus.choices)
    message = forms.CharField(label=_("What the carrier said"), max_length=500)
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
