"""Input and output of /api/v1/wrong-item-reports/ (separate, as everywhere in the API)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from shipments.api.serializers import AddressInputSerializer
from tickets.api.serializers.common import CurrencyField
from wrong_items.models import DiscountCode, RootCause, WrongItemReport
from wrong_items.services.actions import report_replacement

CATEGORIES = ", ".join(f"`{value}`" for value in RootCause.Category.values)

# --- output -----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="WrongItemReshipment")
class ReplacementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The replacement shipment's id."))
    carrier = serializers.CharField(
        source="carrier.code", help_text=_("Our code of the carrier, e.g. `dhl_express`.")
    )
    tracking_number = serializers.CharField(help_text=_("The carrier's tracking number."))
    tracking_link = serializers.CharField(
        help_text=_("Where the customer follows the parcel; may be empty.")
    )
    status = serializers.CharField(help_text=_("The shipment's status, e.g. `in_transit`."))
    service_level = serializers.CharField(
        help_text=_("The service level: `expedited` for a reshipment.")
    )


@extend_schema_serializer(component_name="WrongItemDiscountCode")
class DiscountOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("The single-use code the customer types at checkout."))
    value_type = serializers.CharField(help_text=_("`fixed` (an amount) or `percentage`."))
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text=_("The amount, or the percentage.")
    )
    currency = serializers.CharField(help_text=_("The currency of a fixed amount."))
    expires_at = serializers.DateTimeField(help_text=_("Until when the code can be used."))
    adapter = serializers.CharField(
        help_text=_("How the code reached the shop: `manual` or `shopify`.")
    )
    external_reference = serializers.CharField(
        help_text=_("The shop's id of the code; empty when entered by hand.")
    )


@extend_schema_serializer(component_name="WrongItemRootCause")
class RootCauseOutputSerializer(serializers.Serializer):
    category = serializers.CharField(help_text=_("Why it happened: one of %s.") % CATEGORIES)
    warehouse = serializers.CharField(help_text=_("The warehouse that shipped it; may be empty."))
    expected_sku = serializers.CharField(help_text=_("The SKU that should have been sent."))
    received_sku = serializers.CharField(help_text=_("The SKU that was sent; may be empty."))
    note = serializers.CharField(help_text=_("What was found; may be empty."))
    set_at = serializers.DateTimeField(help_text=_("When the root cause was recorded."))


@extend_schema_serializer(component_name="WrongItemReport")
class ReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The report's id."))
    case_number = serializers.CharField(
        source="case.number", help_text=_("The number of the report's case.")
    )
    case_status = serializers.CharField(
        source="case.status", help_text=_("The case's status, e.g. `open`.")
    )
    order_number = serializers.CharField(
        source="order.number", help_text=_("The shop's order number.")
    )
    order_line = serializers.IntegerField(
        source="order_line_id", help_text=_("The id of the ordered line that was wrong.")
    )
    sku = serializers.CharField(source="order_line.sku", help_text=_("The SKU that was ordered."))
    received_description = serializers.CharField(
        help_text=_("What arrived instead, in the customer's words.")
    )
    received_sku = serializers.CharField(
        help_text=_("The SKU or barcode read off what arrived; may be empty.")
    )
    preference = serializers.CharField(
        help_text=_("What the customer would like: `reship` or `refund`.")
    )
    item_outcome = serializers.CharField(
        help_text=_("What happens to the wrong item: `keep`, `return`, or empty (not decided).")
    )
    proposal = serializers.CharField(
        help_text=_(
            "The automatic proposal of a small order: `waiting`, `accepted`, `dismissed`, or "
            "empty (none)."
        )
    )
    proposed_discount = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text=_("The proposal's discount in percent; null without a proposal."),
    )
    created_at = serializers.DateTimeField(help_text=_("When the customer reported it."))
    root_cause = serializers.SerializerMethodField(
        help_text=_("The root cause; null until it is recorded.")
    )
    discount_codes = DiscountOutputSerializer(
        many=True, help_text=_("Discount codes given for the next order.")
    )

    @extend_schema_field(RootCauseOutputSerializer(allow_null=True))
    def get_root_cause(self, report: WrongItemReport) -> dict | None:
        try:
            cause = report.root_cause
        except RootCause.DoesNotExist:
            return None
        return RootCauseOutputSerializer(cause).data


@extend_schema_serializer(component_name="WrongItemReportDetail")
class ReportDetailOutputSerializer(ReportOutputSerializer):
    reshipment = serializers.SerializerMethodField(
        help_text=_("The express parcel with the right item; null until it ships.")
    )

    @extend_schema_field(ReplacementOutputSerializer(allow_null=True))
    def get_reshipment(self, report: WrongItemReport) -> dict | None:
        shipment = report_replacement(report)
        return ReplacementOutputSerializer(shipment).data if shipment else None


# --- input ------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="WrongItemReportInput")
class ReportInputSerializer(serializers.Serializer):
    order_number = serializers.CharField(
        max_length=64, help_text=_("The shop's number of the order.")
    )
    order_line = serializers.IntegerField(help_text=_("The id of the ordered line that was wrong."))
    received_description = serializers.CharField(
        max_length=2000, help_text=_("What arrived instead, in the customer's words.")
    )
    received_sku = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The SKU or barcode read off what arrived; may be empty."),
    )
    photos = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=1,
        max_length=10,
        help_text=_("Ids of attachments the customer sent on one of their cases."),
    )
    preference = serializers.ChoiceField(
        choices=WrongItemReport.Preference.choices,
        help_text=_("What the customer would like: `reship` or `refund`."),
    )


@extend_schema_serializer(component_name="WrongItemDismissInput")
class DismissInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("Why the proposal is set aside; may be empty."),
    )


@extend_schema_serializer(component_name="WrongItemReshipInput")
class ReshipInputSerializer(serializers.Serializer):
    carrier = serializers.CharField(
        max_length=100, help_text=_("Our code of the carrier, e.g. `dhl_express`.")
    )
    tracking_number = serializers.CharField(
        max_length=64, help_text=_("The carrier's tracking number.")
    )


@extend_schema_serializer(component_name="WrongItemDiscountInput")
class DiscountInputSerializer(serializers.Serializer):
    value_type = serializers.ChoiceField(
        choices=DiscountCode.ValueType.choices,
        help_text=_("`fixed` (an amount) or `percentage`."),
    )
    value = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        help_text=_("The amount, or the percentage (at most 100)."),
    )
    currency = CurrencyField(
        required=False, help_text=_("The currency of a fixed amount; the order's when left out.")
    )
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Until when the code can be used; WRONG_ITEM_DISCOUNT_VALID_DAYS from now by default."
        ),
    )


@extend_schema_serializer(component_name="WrongItemKeepOrReturnInput")
class KeepOrReturnInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[("keep", "keep"), ("return", "return")],
        help_text=_("`keep` the wrong item, or `return` it with a prepaid label."),
    )
    address = AddressInputSerializer(
        required=False, help_text=_("Where the customer is, for the label: needed to return.")
    )

    def validate(self, data: dict) -> dict:
        if data["outcome"] == "return" and not data.get("address"):
            raise serializers.ValidationError(
                {"address": [_("A return needs the customer's address.")]}
            )
        return data


@extend_schema_serializer(component_name="WrongItemRefundInput")
class RefundInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The amount to refund; the ordered item's price when empty."),
    )


@extend_schema_serializer(component_name="WrongItemRootCauseInput")
class RootCauseInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(
        choices=RootCause.Category.choices, help_text=_("Why it happened: one of %s.") % CATEGORIES
    )
    warehouse = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The warehouse that shipped it; may be empty."),
    )
    expected_sku = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The SKU that should have been sent; the ordered one when empty."),
    )
    received_sku = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The SKU that was sent; may be empty."),
    )
    note = serializers.CharField(
        max_length=2000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("What was found; may be empty."),
    )
