"""Orders: the input of an upsert (one order or a batch) as the service's OrderData, and
the orders as the API shows them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from tickets.services.orders import CustomerData, LineData, OrderData
from tickets.validators import phone_normalise

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
from .fast import FastOutputSerializer

ORDERS_PER_CALL = 1000


@extend_schema_serializer(component_name="OrderLine")
class OrderLineOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(
        help_text=_("The line's id: it stays the same when the order is updated.")
    )
    external_id = serializers.CharField(help_text=_("The shop's own id of the line; may be empty."))
    sku = serializers.CharField(help_text=_("The shop's stock keeping unit."))
    title = serializers.CharField(help_text=_("The product's title as ordered."))
    category = serializers.CharField(
        help_text=_("The shop's product category (type); may be empty.")
    )
    quantity = serializers.IntegerField(help_text=_("How many were ordered (1 or more)."))
    unit_price = MoneyField(
        currency_source="order.currency", help_text=_("Price of one, in the order's currency.")
    )
    discount = MoneyField(
        currency_source="order.currency",
        help_text=_("The order's discounts on this line, for all of its items."),
    )
    total = MoneyField(
        currency_source="order.currency",
        help_text=_("What the line cost: quantity × unit price − discount."),
    )
    removed_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_(
            "When the shop dropped the line from the order; null while it is part of it. A "
            "dropped line is kept only while something refers to it."
        ),
    )


@extend_schema_serializer(component_name="Order")
class OrderOutputSerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The order's id."))
    store = serializers.CharField(help_text=_("The store the order was placed in."))
    number = serializers.CharField(help_text=_("The shop's order number, unique per store."))
    external_id = serializers.CharField(help_text=_("The shop's internal id; may be empty."))
    customer = CustomerSummarySerializer(help_text=_("Who placed the order."))
    placed_at = serializers.DateTimeField(help_text=_("When the order was placed."))
    currency = serializers.CharField(help_text=_("ISO-4217 currency of every amount."))
    subtotal = MoneyField(help_text=_("Sum of the lines."))
    shipping_total = MoneyField(help_text=_("Shipping charged, after its discounts."))
    shipping_discount = MoneyField(help_text=_("Discounts on shipping."))
    tax_total = MoneyField(help_text=_("Tax charged."))
    total = MoneyField(help_text=_("What the customer paid."))
    shipping_country = serializers.CharField(help_text=_("ISO 3166-1 alpha-2 destination."))
    insured = serializers.BooleanField(help_text=_("Whether shipping was insured at checkout."))
    lines = OrderLineOutputSerializer(
        many=True, help_text=_("What was ordered, dropped lines that something refers to too.")
    )
    shop_updated_at = serializers.DateTimeField(
        allow_null=True,
        help_text=_("When the shop last changed the order, as it told us; may be null."),
    )
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
        max_length=32,
        help_text=_(
            "E.164 form, e.g. +4915112345678, or as dialled in the customer's country (else "
            "the shipping country), e.g. 0151 12345678 for DE; stored in E.164 form."
        ),
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
    category = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            'The shop\'s product category (type), e.g. "Gift cards"; return policies may '
            "exclude one. Empty if omitted."
        ),
    )
    quantity = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, help_text=_("How many were ordered (1 or more).")
    )
    unit_price = money_input(_('Price of one, in the order\'s currency, e.g. "19.90".'))
    discount = money_input(
        _("The order's discounts on this line, for all of its items; 0 if omitted."),
        required=False,
        default=Decimal(0),
    )
    external_id = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text=_(
            "The shop's own id of the line: an update matches the stored line by it (else by "
            "SKU), so the line keeps its id."
        ),
    )


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
    shipping_total = money_input(
        _("Shipping charged, after its discounts."), required=False, default=Decimal(0)
    )
    shipping_discount = money_input(
        _("Discounts on shipping; 0 if omitted."), required=False, default=Decimal(0)
    )
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
        help_text=_(
            "What was ordered. Stored lines are matched by `external_id`, else by SKU, and "
            "updated in place; a stored line missing here is dropped."
        ),
    )
    shop_updated_at = AwareDateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "When the shop last changed the order. If the stored order has a later one, this "
            "order is left as it is and counted as stale."
        ),
    )

    def validate(self, attrs: dict) -> dict:
        customer = attrs["customer"]
        if customer.get("phone"):
            country = customer.get("country") or attrs["shipping_country"]
            try:
                customer["phone"] = phone_normalise(customer["phone"], country)
            except DjangoValidationError as exc:
                raise serializers.ValidationError({"customer": {"phone": exc.messages}}) from exc
        return attrs

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
        shipping_discount=values["shipping_discount"],
        tax_total=values["tax_total"],
        total=values["total"],
        shipping_country=values["shipping_country"],
        insured=values["insured"],
        lines=tuple(LineData(**line) for line in values["lines"]),
        shop_updated_at=values["shop_updated_at"],
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
    stale = serializers.IntegerField(
        help_text=_("Orders left as stored: the shop changed them after `shop_updated_at`.")
    )
    orders = OrderSummarySerializer(
        many=True, help_text=_("Every order of the call, in the order sent.")
    )
