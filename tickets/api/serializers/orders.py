"""Orders: the input of an upsert (one order or a batch) as the service's OrderData, and
the orders as the API shows them."""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tickets.services.orders import CustomerData, LineData, OrderData

from .common import (
    MAX_INT,
    AwareDateTimeField,
    CountryCodeField,
    CurrencyField,
    CustomerSummarySerializer,
    IndexedListField,
    MoneyField,
    OrderSummarySerializer,
    money_input,
)

ORDERS_PER_CALL = 1000


@extend_schema_serializer(component_name="OrderLine")
class OrderLineOutputSerializer(serializers.Serializer):
    sku = serializers.CharField(help_text=_("The shop's stock keeping unit."))
    title = serializers.CharField(help_text=_("The product's title as ordered."))
    quantity = serializers.IntegerField(help_text=_("How many were ordered (1 or more)."))
    unit_price = MoneyField(
        currency_source="order.currency", help_text=_("Price of one, in the order's currency.")
    )


@extend_schema_serializer(component_name="Order")
class OrderOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The order's id."))
    store = serializers.CharField(help_text=_("The store the order was placed in."))
    number = serializers.CharField(help_text=_("The shop's order number, unique per store."))
    external_id = serializers.CharField(help_text=_("The shop's internal id; may be empty."))
    customer = CustomerSummarySerializer(help_text=_("Who placed the order."))
    placed_at = serializers.DateTimeField(help_text=_("When the order was placed."))
    currency = serializers.CharField(help_text=_("ISO-4217 currency of every amount."))
    subtotal = MoneyField(help_text=_("Sum of the lines."))
    shipping_total = MoneyField(help_text=_("Shipping charged."))
    tax_total = MoneyField(help_text=_("Tax charged."))
    total = MoneyField(help_text=_("What the customer paid."))
    shipping_country = serializers.CharField(help_text=_("ISO 3166-1 alpha-2 destination."))
    insured = serializers.BooleanField(help_text=_("Whether shipping was insured at checkout."))
    lines = OrderLineOutputSerializer(many=True, help_text=_("What was ordered."))
    created_at = serializers.DateTimeField(help_text=_("When the order was first stored."))
    updated_at = serializers.DateTimeField(help_text=_("When the order last changed."))


@extend_schema_serializer(component_name="OrderCustomerInput")
class CustomerInputSerializer(serializers.Serializer):
    email = serializers.EmailField(
        help_text=_("Identifies the customer, ignoring case; a new email makes a new customer.")
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=_("Full name.")
    )
    phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text=_("E.164 form, e.g. +4915112345678."),
    )
    country = CountryCodeField(
        required=False, help_text=_("ISO 3166-1 alpha-2 code in capitals, e.g. DE.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Language to write to the customer in; stored details stay if omitted."),
    )
    timezone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=_("IANA time zone, e.g. Europe/Berlin."),
    )


@extend_schema_serializer(component_name="OrderLineInput")
class LineInputSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64, help_text=_("The shop's stock keeping unit."))
    title = serializers.CharField(max_length=255, help_text=_("The product's title."))
    quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, help_text=_("How many were ordered (1 or more).")
    )
    unit_price = money_input(_('Price of one, in the order\'s currency, e.g. "19.90".'))


@extend_schema_serializer(component_name="OrderInput")
class OrderInputSerializer(serializers.Serializer):
    """One order as the shop knows it; matched to a stored one by store and number."""

    store = serializers.SlugField(
        max_length=50,
        required=False,
        default="default",
        help_text=_("The store's slug; order numbers are unique per store."),
    )
    number = serializers.CharField(max_length=64, help_text=_("The shop's order number."))
    external_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("The shop's own id of the order."),
    )
    customer = CustomerInputSerializer(help_text=_("Who placed the order."))
    placed_at = AwareDateTimeField(
        help_text=_("When the order was placed: ISO 8601 with its offset, e.g. 2026-03-01T14:30Z.")
    )
    currency = CurrencyField(help_text=_("ISO-4217 code of every amount, e.g. EUR, USD or JPY."))
    subtotal = money_input(
        _("Sum of the lines; computed from the lines if omitted."), required=False
    )
    shipping_total = money_input(_("Shipping charged."), required=False, default=Decimal(0))
    tax_total = money_input(_("Tax charged."), required=False, default=Decimal(0))
    total = money_input(_("What the customer paid."))
    shipping_country = CountryCodeField(
        help_text=_("ISO 3166-1 alpha-2 destination in capitals, e.g. DE.")
    )
    insured = serializers.BooleanField(
        required=False, default=False, help_text=_("Whether shipping was insured at checkout.")
    )
    lines = IndexedListField(
        child=LineInputSerializer(),
        min_length=1,
        help_text=_("What was ordered; replaces the stored lines when they differ."),
    )

    def to_order_data(self) -> OrderData:
        return order_data(self.validated_data)


def order_data(values: dict) -> OrderData:
    """The service's OrderData from an OrderInputSerializer's validated data."""
    customer = values["customer"]
    return OrderData(
        store=values["store"],
        number=values["number"],
        external_id=values["external_id"],
        customer=CustomerData(
            email=customer["email"],
            **{
                name: customer.get(name, "")
                for name in ("name", "phone", "country", "language", "timezone")
            },
        ),
        placed_at=values["placed_at"],
        currency=values["currency"],
        subtotal=values.get("subtotal"),
        shipping_total=values["shipping_total"],
        tax_total=values["tax_total"],
        total=values["total"],
        shipping_country=values["shipping_country"],
        insured=values["insured"],
        lines=tuple(LineData(**line) for line in values["lines"]),
    )


@extend_schema_serializer(component_name="OrderBatchInput")
class OrderBatchInputSerializer(serializers.Serializer):
    """Up to 1,000 orders, stored all or nothing."""

    orders = IndexedListField(
        child=OrderInputSerializer(),
        max_length=ORDERS_PER_CALL,
        error_messages={
            "max_length": _(
                "A call takes at most {max_length} orders; send the rest in further calls."
            )
        },
        help_text=_("The orders, at most 1,000 a call."),
    )

    def to_order_data(self) -> list[OrderData]:
        return [order_data(values) for values in self.validated_data["orders"]]


@extend_schema_serializer(component_name="OrderUpsertResult")
class OrderUpsertOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("Orders that were new."))
    updated = serializers.IntegerField(help_text=_("Stored orders that changed."))
    unchanged = serializers.IntegerField(help_text=_("Stored orders sent again unchanged."))
    orders = OrderSummarySerializer(
        many=True, help_text=_("Every order of the call, in the order sent.")
    )
