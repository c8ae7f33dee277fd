"""Input and output of /api/v1/wrong-item-reports/ (separate, as everywhere in the API)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from wrong_items.models import DiscountCode, RootCause, WrongItemReport


class ReplacementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    carrier = serializers.CharField(source="carrier.code")
    tracking_number = serializers.CharField()
    tracking_link = serializers.CharField()
    status = serializers.CharField()
    service_level = serializers.CharField()


class DiscountOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    value_type = serializers.CharField()
    value = serializers.DecimalField(max_digits=14, decimal_places=2)
    currency = serializers.CharField()
    expires_at = serializers.DateTimeField()
    adapter = serializers.CharField()
    external_reference = serializers.CharField()


class RootCauseOutputSerializer(serializers.Serializer):
    category = serializers.CharField()
    warehouse = serializers.CharField()
    expected_sku = serializers.CharField()
    received_sku = serializers.CharField()
    note = serializers.CharField()
    set_at = serializers.DateTimeField()


class ReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField(source="case.number")
    case_status = serializers.CharField(source="case.status")
    order_number = serializers.CharField(source="order.number")
    order_line = serializers.IntegerField(source="order_line_id")
    sku = serializers.CharField(source="order_line.sku")
    received_description = serializers.CharField()
    received_sku = serializers.CharField()
    preference = serializers.CharField()
    item_outcome = serializers.CharField()
    created_at = serializers.DateTimeField()
    root_cause = serializers.SerializerMethodField()
    discount_codes = DiscountOutputSerializer(many=True)

    def get_root_cause(self, report: WrongItemReport) -> dict | None:
        try:
            cause = report.root_cause
        except RootCause.DoesNotExist:
            return None
        return RootCauseOutputSerializer(cause).data


class ReportDetailOutputSerializer(ReportOutputSerializer):
    reshipment = serializers.SerializerMethodField()

    def get_reshipment(self, report: WrongItemReport) -> dict | None:
        from wrong_items.services.actions import report_replacement

        shipment = report_replacement(report)
        return ReplacementOutputSerializer(shipment).data if shipment else None


class ReportInputSerializer(serializers.Serializer):
    order_number = serializers.CharField(max_length=64)
    order_line = serializers.IntegerField(help_text=_("The id of the ordered line that was wrong."))
    received_description = serializers.CharField(max_length=2000)
    received_sku = serializers.CharField(max_length=64, required=False, default="")
    photos = serializers.ListField(
        child=serializers.IntegerField(),
        min_length=1,
        max_length=10,
        help_text=_("Ids of attachments the customer sent on one of their cases."),
    )
    preference = serializers.ChoiceField(choices=WrongItemReport.Preference.choices)


class ReshipInputSerializer(serializers.Serializer):
    carrier = serializers.CharField(max_length=100)
    tracking_number = serializers.CharField(max_length=64)


class DiscountInputSerializer(serializers.Serializer):
    value_type = serializers.ChoiceField(choices=DiscountCode.ValueType.choices)
    value = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField(max_length=3, required=False, default="")
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class AddressInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    line1 = serializers.CharField(max_length=100)
    line2 = serializers.CharField(max_length=100, required=False, default="")
    postcode = serializers.CharField(max_length=20, required=False, default="")
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=100, required=False, default="")
    country = serializers.CharField(min_length=2, max_length=2)


class KeepOrReturnInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=[("keep", "keep"), ("return", "return")])
    address = AddressInputSerializer(required=False)

    def validate(self, data: dict) -> dict:
        if data["outcome"] == "return" and not data.get("address"):
            raise serializers.ValidationError(
                {"address": [_("A return needs the customer's address.")]}
            )
        return data


class RefundInputSerializer(serializers.Serializer):
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )


class RootCauseInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=RootCause.Category.choices)
    warehouse = serializers.CharField(max_length=64, required=False, default="")
    expected_sku = serializers.CharField(max_length=64, required=False, default="")
    received_sku = serializers.CharField(max_length=64, required=False, default="")
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
