"""A case's compensations: the ledger as the API shows it, and one input per state change."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tickets.models import Compensation

from .common import CurrencyField, MoneyField, MoneyInputField, UserSummarySerializer
from .fast import FastOutputSerializer

REASON_HELP = _("Why, for the timeline and the audit trail.")


@extend_schema_serializer(component_name="Compensation")
class CompensationOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The compensation's id."))
    kind = serializers.ChoiceField(
        choices=Compensation.Kind.choices, help_text=_("What the customer gets.")
    )
    status = serializers.ChoiceField(
        choices=Compensation.Status.choices,
        help_text=_(
            "proposed → approved or rejected; approved → issued, failed or cancelled; "
            "failed → issued or cancelled."
        ),
    )
    amount = MoneyField(help_text=_("The amount, with its currency's decimals (JPY none)."))
    currency = serializers.CharField(help_text=_("ISO-4217 currency of `amount`."))
    base_amount = MoneyField(
        currency_source="base_currency",
        help_text=_("The amount in the shop's base currency, at the rate of the proposal."),
    )
    base_currency = serializers.CharField(help_text=_("The shop's base currency (ISO-4217)."))
    exchange_rate = serializers.DecimalField(
        max_digits=18,
        decimal_places=8,
        help_text=_("Units of the base currency one unit of `currency` bought."),
    )
    needs_supervisor = serializers.BooleanField(
        help_text=_("Above the approval limit: only a supervisor may approve it.")
    )
    note = serializers.CharField(help_text=_("The proposer's note; may be empty."))
    external_reference = serializers.CharField(
        help_text=_("The shop's or payment provider's id once issued; may be empty.")
    )
    failure_reason = serializers.CharField(
        help_text=_("Why issuing it failed the last time; may be empty.")
    )
    reason = serializers.CharField(help_text=_("Why it was rejected or cancelled; may be empty."))
    proposed_by = UserSummarySerializer(
        allow_null=True, help_text=_("Who proposed it; null for the system.")
    )
    approved_by = UserSummarySerializer(
        allow_null=True, help_text=_("Who approved it; null until approved.")
    )
    approved_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was approved."))
    issued_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was issued."))
    created_at = serializers.DateTimeField(help_text=_("When it was proposed."))


@extend_schema_serializer(component_name="CompensationPropose")
class CompensationProposeInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Compensation.Kind.choices, help_text=_("What the customer gets.")
    )
    amount = MoneyInputField(
        help_text=_('The amount, e.g. "12.50", with at most its currency\'s decimals (JPY "1500").')
    )
    currency = CurrencyField(
        required=False,
        help_text=_("ISO-4217 currency of the amount; the order's currency if omitted."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Why, for the agents."),
    )


@extend_schema_serializer(component_name="CompensationApprove")
class CompensationApproveInputSerializer(serializers.Serializer):
    """Nothing to say: the API key's user approves."""


@extend_schema_serializer(component_name="CompensationReject")
class CompensationRejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=REASON_HELP)


@extend_schema_serializer(component_name="CompensationCancel")
class CompensationCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=REASON_HELP)


@extend_schema_serializer(component_name="CompensationIssue")
class CompensationIssueInputSerializer(serializers.Serializer):
    external_reference = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=255,
        help_text=_("The refund's, credit's or code's id at the shop or payment provider."),
    )


@extend_schema_serializer(component_name="CompensationFail")
class CompensationFailInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, help_text=_("What went wrong, e.g. the provider's error.")
    )
