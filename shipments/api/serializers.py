"""Shipments in the API: what a create and an events POST take, and how a shipment and its
events are shown. Inputs and outputs are separate serializers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from shipments.models import IncidentReason, Shipment, ShipmentStatus
from shipments.services.webhook_payloads import MAX_GENERIC_EVENTS
from tickets.api.serializers.common import (
    AwareDateTimeField,
    CountryCodeField,
    CurrencyField,
    IndexedListField,
    OrderSummarySerializer,
    money_input,
)
from tickets.api.serializers.fast import FastOutputSerializer
from tickets.money import money_str

STATUSES = ", ".join(f"`{value}`" for value in ShipmentStatus.values)
REASONS = ", ".join(f"`{value}`" for value in IncidentReason.values if value)


# --- output -----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="CarrierSummary")
class CarrierSummarySerializer(FastOutputSerializer):
    code = serializers.CharField(help_text=_("Our code of the carrier, e.g. `dhl_express`."))
    name = serializers.CharField(help_text=_("The carrier's name."))


@extend_schema_serializer(component_name="TrackingEvent")
class TrackingEventOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The event's id."))
    occurred_at = serializers.DateTimeField(help_text=_("When the carrier saw it."))
    status = serializers.CharField(help_text=_("Our status: one of %s.") % STATUSES)
    incident_reason = serializers.CharField(
        help_text=_("Why the parcel stalls, where the source says: one of %s; or empty.") % REASONS
    )
    raw_status = serializers.CharField(
        help_text=_("The source's own status code, kept as sent; may be empty.")
    )
    message = serializers.CharField(help_text=_("The carrier's message; may be empty."))
    location = serializers.CharField(help_text=_("Where it happened; may be empty."))
    source = serializers.CharField(
        help_text=_("Where the event came from: shopify, easypost, aftership, generic, api, ...")
    )
    created_at = serializers.DateTimeField(help_text=_("When we received it."))


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "nullable": True,
        "description": "The insured value in `insured_currency`; null when not insured.",
    }
)
class InsuredValueField(serializers.Field):
    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, shipment: Shipment) -> str | None:
        if shipment.insured_value is None:
            return None
        return money_str(shipment.insured_value, shipment.insured_currency or "EUR")


@extend_schema_serializer(component_name="Shipment")
class ShipmentOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The shipment's id."))
    order = OrderSummarySerializer(help_text=_("The order the parcel belongs to."))
    direction = serializers.CharField(
        help_text=_("`outbound` to the customer, `return` from them, or `replacement`.")
    )
    carrier = CarrierSummarySerializer(help_text=_("Who carries the parcel."))
    service_level = serializers.CharField(help_text=_("`standard` or `expedited`."))
    tracking_number = serializers.CharField(help_text=_("The carrier's tracking number."))
    tracking_url = serializers.CharField(
        source="tracking_link", help_text=_("The parcel's public tracking page; may be empty.")
    )
    status = serializers.CharField(help_text=_("Our status: one of %s.") % STATUSES)
    incident_reason = serializers.CharField(
        help_text=_("Why the parcel stalls, where the source says: one of %s; or empty.") % REASONS
    )
    shipped_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was shipped."))
    promised_delivery_date = serializers.DateField(
        allow_null=True, help_text=_("The delivery date the shop promised.")
    )
    revised_estimate = serializers.DateField(
        allow_null=True, help_text=_("The carrier's latest estimate, where it gave one.")
    )
    delivered_at = serializers.DateTimeField(allow_null=True, help_text=_("When it arrived."))
    first_scan_at = serializers.DateTimeField(
        allow_null=True, help_text=_("The carrier's first scan of the parcel.")
    )
    last_event_at = serializers.DateTimeField(
        allow_null=True, help_text=_("The latest tracking event.")
    )
    origin_country = serializers.CharField(
        help_text=_("ISO 3166-1 alpha-2 country it leaves from; may be empty.")
    )
    destination_country = serializers.CharField(
        help_text=_("ISO 3166-1 alpha-2 country it goes to; may be empty.")
    )
    customs_state = serializers.CharField(
        help_text=_("Customs: empty, `held`, `documents`, `duties`, `inspection` or `released`.")
    )
    customs_since = serializers.DateTimeField(
        allow_null=True, help_text=_("Since when customs hold it.")
    )
    insured = serializers.BooleanField(help_text=_("Whether the parcel is insured."))
    insured_value = InsuredValueField(help_text=_("The insured value; null when not insured."))
    insured_currency = serializers.CharField(
        help_text=_("ISO-4217 currency of the insured value; may be empty.")
    )
    created_at = serializers.DateTimeField(help_text=_("When we first heard of it."))
    updated_at = serializers.DateTimeField(help_text=_("When it last changed."))


@extend_schema_serializer(component_name="ShipmentDetail")
class ShipmentDetailOutputSerializer(ShipmentOutputSerializer):
    events = TrackingEventOutputSerializer(
        many=True, help_text=_("Its tracking events, oldest first.")
    )


@extend_schema_serializer(component_name="TrackingRecordResult")
class RecordResultOutputSerializer(serializers.Serializer):
    stored = serializers.IntegerField(help_text=_("Events stored."))
    duplicates = serializers.IntegerField(
        help_text=_("Events not stored again: the same source and id were sent before.")
    )
    status_changes = serializers.IntegerField(
        help_text=_("1 if the shipment's status moved, else 0.")
    )
    status = serializers.CharField(help_text=_("The shipment's status now."))


# --- input ------------------------------------------------------------------------------------


class ShipmentInputSerializer(serializers.Serializer):
    order_number = serializers.CharField(
        max_length=64, help_text=_("The shop's order number the parcel belongs to.")
    )
    store = serializers.CharField(
        max_length=50,
        required=False,
        help_text=_("The order's store, where order numbers repeat across stores."),
    )
    carrier = serializers.CharField(
        max_length=100,
        help_text=_(
            "The carrier: our code (`dhl_express`, `ups`, ...) or its name (`DHL Express`); "
            "a carrier we do not know yet is added."
        ),
    )
    tracking_number = serializers.CharField(
        max_length=64, help_text=_("The carrier's tracking number (unique per carrier).")
    )
    direction = serializers.ChoiceField(
        choices=Shipment.Direction.choices,
        default=Shipment.Direction.OUTBOUND,
        help_text=_("`outbound` (default), `return` or `replacement`."),
    )
    service_level = serializers.ChoiceField(
        choices=Shipment.ServiceLevel.choices,
        default=Shipment.ServiceLevel.STANDARD,
        help_text=_("`standard` (default) or `expedited`."),
    )
    origin_country = CountryCodeField(
        required=False, help_text=_("ISO 3166-1 alpha-2 country it leaves from.")
    )
    destination_country = CountryCodeField(
        required=False,
        help_text=_(
            "ISO 3166-1 alpha-2 country it goes to; the order's shipping country if left out."
        ),
    )
    shipped_at = AwareDateTimeField(
        required=False, help_text=_("When it was handed to the carrier, with its UTC offset.")
    )
    promised_delivery_date = serializers.DateField(
        required=False, help_text=_("The delivery date the shop promised (YYYY-MM-DD).")
    )
    insured_value = money_input(
        _('The insured value, as a string ("120.00"); makes the parcel insured.'),
        required=False,
    )
    insured_currency = CurrencyField(
        required=False,
        help_text=_("ISO-4217 currency of the insured value; the order's if left out."),
    )


class EventInputSerializer(serializers.Serializer):
    occurred_at = AwareDateTimeField(help_text=_("When the carrier saw it, with its UTC offset."))
    status = serializers.ChoiceField(
        choices=ShipmentStatus.choices, help_text=_("Our status: one of %s.") % STATUSES
    )
    incident_reason = serializers.ChoiceField(
        choices=[choice for choice in IncidentReason.choices if choice[0]],
        required=False,
        help_text=_("Why the parcel stalls, if the carrier says: one of %s.") % REASONS,
    )
    carrier_code = serializers.CharField(
        max_length=100, required=False, help_text=_("The carrier's own status code.")
    )
    message = serializers.CharField(
        max_length=500, required=False, help_text=_("The carrier's message.")
    )
    location = serializers.CharField(max_length=200, required=False, help_text=_("Where."))
    id = serializers.CharField(
        max_length=128,
        required=False,
        help_text=_(
            "Your id of the event: an event sent twice with one id is stored once. Left out, "
            "one is made from the time, status, code, message and location."
        ),
    )
    estimated_delivery = serializers.DateField(
        required=False, help_text=_("The carrier's revised delivery date, if it gave one.")
    )


class EventBatchInputSerializer(serializers.Serializer):
    events = IndexedListField(
        child=EventInputSerializer(),
        min_length=1,
        max_length=MAX_GENERIC_EVENTS,
        help_text=_("Up to 1,000 events of this shipment."),
    )


@extend_schema_serializer(component_name="AddressInput")
class AddressInputSerializer(serializers.Serializer):
    """The customer's postal address, for a label (shipments.labels.addresses.Address)."""

    name = serializers.CharField(max_length=100, help_text=_("The customer's name."))
    line1 = serializers.CharField(max_length=100, help_text=_("Street and number."))
    line2 = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("More of the address."),
    )
    postcode = serializers.CharField(max_length=20, help_text=_("The postcode."))
    city = serializers.CharField(max_length=100, help_text=_("The city."))
    region = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The region or state."),
    )
    country = CountryCodeField(help_text=_("The country's two-letter ISO code."))
