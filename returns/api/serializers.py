"""Return requests in the API: what a create and a reject take, and how a request is shown.
Inputs and outputs are separate serializers."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from returns.models import Condition, Disposition, ReasonCode, RefundTransaction, ReturnRequest
from returns.selectors import request_label
from returns.services.claims import REJECTION_MAX_LENGTH
from returns.services.refunds import refund_clocks, refund_matters
from shipments.api.serializers import AddressInputSerializer
from shipments.labels.models import Label
from tickets.api.serializers.common import IndexedListField
from tickets.money import money_str

MAX_LINES = 100
MAX_PHOTOS = 20

# --- input ------------------------------------------------------------------------------------


class LineInputSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(min_value=1, help_text=_("The order line's id."))
    quantity = serializers.IntegerField(min_value=1, help_text=_("How many to send back."))
    reason_code = serializers.ChoiceField(
        choices=ReasonCode.choices,
        help_text=_(
            "For a defect: dead_on_arrival, stopped_working, damaged_in_transit, missing_parts, "
            "not_as_described, cosmetic_damage; for a return: doesnt_fit, changed_mind, "
            "arrived_too_late, ordered_by_mistake."
        ),
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text=_("The customer's words.")
    )


class ReturnRequestInputSerializer(serializers.Serializer):
    order_number = serializers.CharField(max_length=64, help_text=_("The shop's order number."))
    store = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=50,
        help_text=_("The order's store, where several stores have the number."),
    )
    kind = serializers.ChoiceField(
        choices=ReturnRequest.Kind.choices,
        help_text=_("`return` (change of mind) or `defect` (a faulty item)."),
    )
    lines = IndexedListField(
        child=LineInputSerializer(), min_length=1, max_length=MAX_LINES, help_text=_("The items.")
    )
    preferred_outcome = serializers.ChoiceField(
        choices=ReturnRequest.Outcome.choices,
        help_text=_("What the customer would like: refund, replacement or repair."),
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text=_("The customer's words.")
    )
    photos = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=MAX_PHOTOS,
        help_text=_("Ids of attachments on the customer's cases (e.g. photos they emailed)."),
    )
    address = AddressInputSerializer(
        required=False,
        help_text=_(
            "Where the customer sends the parcel from: with it, approval issues the prepaid "
            "label and emails it."
        ),
    )


class LineInspectionInputSerializer(serializers.Serializer):
    line = serializers.IntegerField(
        min_value=1, help_text=_("The id of the request's line (`lines[].id`).")
    )
    condition = serializers.ChoiceField(
        choices=Condition.choices,
        help_text=_("A as new, B opened, C damaged, D unsellable."),
    )
    defect_confirmed = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Whether the defect is confirmed: required for a defect claim, not kept for a return."
        ),
    )
    disposition = serializers.ChoiceField(
        choices=Disposition.choices,
        help_text=_("Where the item goes: restock, refurbish, return_to_vendor or scrap."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("What the inspector saw; may be empty."),
    )


class InspectInputSerializer(serializers.Serializer):
    lines = IndexedListField(
        child=LineInspectionInputSerializer(),
        min_length=1,
        max_length=MAX_LINES,
        help_text=_("One entry for every line of the request."),
    )


class ResolveInputSerializer(serializers.Serializer):
    resolution = serializers.ChoiceField(
        choices=ReturnRequest.Resolution.choices,
        help_text=_("refund, store_credit, exchange, replacement or repair."),
    )
    amount = serializers.DecimalField(
        max_digits=14,
        decimal_places=3,
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "A smaller refund or credit than what is due (a partial refund); what is due when "
            "left out."
        ),
    )
    exchange_sku = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("For an exchange: the SKU of the variant the customer gets instead."),
    )


class RefundConfirmInputSerializer(serializers.Serializer):
    reference = serializers.CharField(
        max_length=255, help_text=_("The shop's reference of the refund it made.")
    )


class RefundFailInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=_("Why the shop could not pay it."))


class ShipBackInputSerializer(serializers.Serializer):
    carrier = serializers.CharField(
        max_length=100, help_text=_("The carrier, by our code or its name (e.g. `dhl_express`).")
    )
    tracking_number = serializers.CharField(
        max_length=64, help_text=_("The parcel's tracking number.")
    )


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REJECTION_MAX_LENGTH, help_text=_("Why, in words the customer understands.")
    )


# --- output -----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ReturnLine")
class ReturnLineOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The line's id (the inspection names it)."))
    order_line = serializers.IntegerField(
        source="order_line_id", help_text=_("The order line's id.")
    )
    sku = serializers.CharField(source="order_line.sku", help_text=_("The item's SKU."))
    title = serializers.CharField(source="order_line.title", help_text=_("The item's title."))
    quantity = serializers.IntegerField(help_text=_("How many to send back."))
    reason_code = serializers.CharField(help_text=_("Why, as a reason code."))
    description = serializers.CharField(help_text=_("The customer's words; may be empty."))
    condition = serializers.CharField(
        help_text=_("The inspector's grade (A to D); empty until inspected.")
    )
    defect_confirmed = serializers.BooleanField(
        allow_null=True, help_text=_("Whether the defect is confirmed; null when not said.")
    )
    disposition = serializers.CharField(
        help_text=_("Where the item goes after inspection; empty until inspected.")
    )
    inspection_note = serializers.CharField(help_text=_("What the inspector saw; may be empty."))


@extend_schema_serializer(component_name="LineEligibility")
class EligibilityOutputSerializer(serializers.Serializer):
    order_line_id = serializers.IntegerField(help_text=_("The order line's id."))
    right = serializers.CharField(help_text=_("`return_window` or `warranty`."))
    eligible = serializers.BooleanField(help_text=_("Whether the line could be claimed."))
    deadline = serializers.DateField(help_text=_("The last day the right can be used."))
    counted_from = serializers.CharField(help_text=_("`delivery` or `order`."))
    rule = serializers.CharField(help_text=_("What set the deadline or refusal, if anything."))
    explanation = serializers.CharField(help_text=_("The decision in the customer's language."))


@extend_schema_serializer(component_name="ReturnLabel")
class ReturnLabelOutputSerializer(serializers.Serializer):
    carrier = serializers.CharField(
        source="shipment.carrier.code", help_text=_("Our code of the carrier, e.g. `dhl_express`.")
    )
    tracking_number = serializers.CharField(
        source="shipment.tracking_number", help_text=_("The carrier's tracking number.")
    )
    valid_until = serializers.DateField(help_text=_("The last day the label can be used."))
    pdf = serializers.SerializerMethodField(
        help_text=_("Where an agent downloads the PDF (A4; `?size=4x6` for a label printer).")
    )

    api_pdf = serializers.SerializerMethodField(
        help_text=_(
            "Where an API client downloads the PDF with its key (A4; `?size=4x6` for a label "
            "printer)."
        )
    )

    def get_pdf(self, label: Label) -> str:
        return reverse("shipments:agent-label-pdf", args=[label.pk])

    def get_api_pdf(self, label: Label) -> str:
        # A return label's reference is its request's RMA number.
        return reverse("returns:return-label-pdf", kwargs={"rma_number": label.reference})


@extend_schema_serializer(component_name="RefundTransaction")
class RefundTransactionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The transaction's id."))
    adapter = serializers.CharField(help_text=_("How it is paid: `manual` or `shopify`."))
    amount = serializers.SerializerMethodField(
        help_text=_('The amount, in the currency\'s minor units ("1234" JPY, "12.50" EUR).')
    )
    currency = serializers.CharField(help_text=_("ISO 4217 code of the order's currency."))
    status = serializers.CharField(help_text=_("pending, succeeded or failed."))
    reference = serializers.CharField(
        help_text=_("The shop's or payment provider's reference; empty until paid.")
    )
    error = serializers.CharField(help_text=_("Why it failed; empty otherwise."))
    created_at = serializers.DateTimeField(help_text=_("When it started."))
    completed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When it succeeded or failed; null while pending.")
    )

    def get_amount(self, refund: RefundTransaction) -> str:
        return money_str(refund.amount, refund.currency)


@extend_schema_serializer(component_name="RefundClocks")
class RefundClocksOutputSerializer(serializers.Serializer):
    sla_due = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "The shop's promise: refunded by then (RETURN_REFUND_SLA_HOURS after the parcel "
            "arrived); null before it arrives."
        ),
    )
    legal_due = serializers.DateField(
        allow_null=True,
        help_text=_(
            "For an EU customer's withdrawal (a return, not a defect): the last day the law "
            "allows for the refund; null otherwise."
        ),
    )


@extend_schema_serializer(component_name="ReturnRequest")
class ReturnRequestOutputSerializer(serializers.Serializer):
    rma = serializers.CharField(help_text=_("The RMA number, e.g. RMA-7KQM-4TXC."))
    kind = serializers.CharField(help_text=_("`return` or `defect`."))
    status = serializers.CharField(
        help_text=_(
            "requested, approved, label_issued, in_transit, received, inspected, "
            "resolved or rejected."
        )
    )
    case_number = serializers.CharField(
        source="case.number", help_text=_("The number of the request's case.")
    )
    order_number = serializers.CharField(
        source="order.number", help_text=_("The shop's order number.")
    )
    preferred_outcome = serializers.CharField(
        help_text=_("What the customer would like: refund, replacement or repair.")
    )
    auto_approved = serializers.BooleanField(
        help_text=_("Whether the policy approved it without an agent.")
    )
    review_reason = serializers.CharField(
        help_text=_("Why it was flagged for review; may be empty.")
    )
    rejection_reason = serializers.CharField(
        help_text=_("Why it was rejected, as the customer reads it; may be empty.")
    )
    lines = ReturnLineOutputSerializer(many=True, help_text=_("The items."))
    eligibility = EligibilityOutputSerializer(
        many=True, help_text=_("The decision per line, as it was made at submission.")
    )
    photos = serializers.SerializerMethodField(
        help_text=_("Download links of the photos (for agents and API keys).")
    )
    label = serializers.SerializerMethodField(
        help_text=_("The prepaid return label; null until it is issued.")
    )
    received_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the parcel reached the warehouse; null before.")
    )
    inspected_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When it was inspected; null before.")
    )
    resolution = serializers.CharField(
        help_text=_("The outcome decided after inspection; empty until then.")
    )
    exchange_sku = serializers.CharField(
        help_text=_("For an exchange: the variant the customer gets; empty otherwise.")
    )
    refunds = RefundTransactionOutputSerializer(
        source="refund_transactions",
        many=True,
        help_text=_("The refund's money movements, oldest first (a failed one, then its retry)."),
    )
    refunded_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the refund was paid; null before.")
    )
    refund_clocks = serializers.SerializerMethodField(
        help_text=_("The refund's deadlines; null unless the customer wants a refund.")
    )
    created_at = serializers.DateTimeField(help_text=_("When it was made."))
    updated_at = serializers.DateTimeField(help_text=_("When its status last changed."))

    @extend_schema_field(RefundClocksOutputSerializer(allow_null=True))
    def get_refund_clocks(self, request: ReturnRequest) -> dict | None:
        if not refund_matters(request):
            return None
        return RefundClocksOutputSerializer(refund_clocks(request)).data

    @extend_schema_field(ReturnLabelOutputSerializer(allow_null=True))
    def get_label(self, request: ReturnRequest) -> dict | None:
        found = request_label(request)
        return ReturnLabelOutputSerializer(found).data if found else None

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, request: ReturnRequest) -> list[str]:
        return [
            reverse("tickets:agent-attachment-download", args=[photo.pk])
            for photo in request.photos.all()
        ]
