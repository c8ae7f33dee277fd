"""API shapes. Input serializers check types and required fields and build what a service takes;
output serializers render. Domain rules stay in the services."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import fields, serializers

from tickets import selectors
from tickets.models import Case, Message
from tickets.services.orders import CustomerData, LineData, OrderData
from tickets.validators import currency_precision, validate_currency

# Upper bound of integer inputs stored in 32-bit columns: larger ones are a 400, not a
# database overflow.
MAX_INT = 2_147_483_647
ORDERS_PER_CALL = 1000
# Where a transition may lead: every status but `new`, which no move leads back to.
TRANSITION_TARGETS = [(value, label) for value, label in Case.Status.choices if value != "new"]


# --- fields -----------------------------------------------------------------------------------


class MoneyField(serializers.DecimalField):
    """An amount as a string with as many decimals as its currency has: EUR "54.90", JPY "5490"."""

    def __init__(self, *, currency_source: str = "currency", **kwargs) -> None:
        self.currency_source = currency_source.split(".")
        super().__init__(max_digits=14, decimal_places=3, read_only=True, **kwargs)

    def get_attribute(self, instance):
        amount = super().get_attribute(instance)
        currency = fields.get_attribute(instance, self.currency_source)
        return amount.quantize(Decimal(1).scaleb(-currency_precision(currency)))

    def to_representation(self, value) -> str:
        return f"{value:f}"


class IndexedListField(serializers.ListField):
    """A list whose errors read `lines[2].quantity`: one entry per item, `{}` for a valid one.
    An over-long list is refused before any item is validated."""

    def to_internal_value(self, data):
        if self.max_length is not None and isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as exc:
            if not isinstance(exc.detail, dict):
                raise
            raise serializers.ValidationError(
                [exc.detail.get(index, {}) for index in range(len(data))]
            ) from exc


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time with its UTC offset: a shop's local time without one is ambiguous."""

    default_error_messages = {
        "naive": _("Give the time with its offset from UTC, e.g. 2026-03-01T14:30:00+01:00."),
    }

    def to_internal_value(self, value):
        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None and timezone.is_naive(parsed):
                self.fail("naive")
        return super().to_internal_value(value)


def money_input(help_text: str, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=3, help_text=help_text, **kwargs)


# --- small nested outputs ---------------------------------------------------------------------


@extend_schema_serializer(component_name="CustomerSummary")
class CustomerSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The customer's id."))
    email = serializers.EmailField(help_text=_("The customer's email address."))
    name = serializers.CharField(help_text=_("The customer's name; may be empty."))


@extend_schema_serializer(component_name="OrderSummary")
class OrderSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The order's id."))
    store = serializers.CharField(help_text=_("The store the order was placed in."))
    number = serializers.CharField(help_text=_("The shop's own order number."))


@extend_schema_serializer(component_name="UserSummary")
class UserSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The user's id."))
    username = serializers.CharField(help_text=_("The user's login name."))


@extend_schema_serializer(component_name="TeamSummary")
class TeamSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The team's id."))
    name = serializers.CharField(help_text=_("The team's name."))


# --- customers --------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Customer")
class CustomerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The customer's id."))
    email = serializers.EmailField(help_text=_("Email address; unique, ignoring case."))
    name = serializers.CharField(help_text=_("Full name; may be empty."))
    phone = serializers.CharField(
        help_text=_("Phone in E.164 form (+4915112345678); may be empty.")
    )
    country = serializers.CharField(
        help_text=_("ISO 3166-1 alpha-2 country code, e.g. DE; empty if unknown.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, help_text=_("Language the customer is written to in.")
    )
    timezone = serializers.CharField(help_text=_("IANA time zone, e.g. Europe/Berlin."))
    sms_consent = serializers.BooleanField(help_text=_("Whether the customer agreed to SMS."))
    created_at = serializers.DateTimeField(help_text=_("When the customer was first stored."))
    updated_at = serializers.DateTimeField(help_text=_("When the customer last changed."))


# --- orders -----------------------------------------------------------------------------------


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
    country = serializers.RegexField(
        r"^[A-Z]{2}$",
        required=False,
        allow_blank=True,
        help_text=_("ISO 3166-1 alpha-2 code in capitals, e.g. DE."),
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_blank=True,
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
    currency = serializers.RegexField(
        r"^[A-Z]{3}$",
        validators=[validate_currency],
        help_text=_("ISO-4217 code of every amount, e.g. EUR, USD or JPY."),
    )
    subtotal = money_input(
        _("Sum of the lines; computed from the lines if omitted."), required=False
    )
    shipping_total = money_input(_("Shipping charged."), required=False, default=Decimal(0))
    tax_total = money_input(_("Tax charged."), required=False, default=Decimal(0))
    total = money_input(_("What the customer paid."))
    shipping_country = serializers.RegexField(
        r"^[A-Z]{2}$", help_text=_("ISO 3166-1 alpha-2 destination in capitals, e.g. DE.")
    )
    insured = serializers.BooleanField(
        required=False, default=False, help_text=_("Whether shipping was insured at checkout.")
    )
    lines = IndexedListField(
        child=LineInputSerializer(),
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


# --- cases ------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Case")
class CaseOutputSerializer(serializers.Serializer):
    number = serializers.CharField(help_text=_("The case's number, e.g. AS-7KQM-4TXC."))
    kind = serializers.ChoiceField(choices=Case.Kind.choices, help_text=_("The kind of problem."))
    status = serializers.ChoiceField(
        choices=Case.Status.choices, help_text=_("Where the case stands; see the transitions.")
    )
    priority = serializers.ChoiceField(
        choices=Case.Priority.choices, help_text=_("How urgent the case is.")
    )
    subject = serializers.CharField(help_text=_("A one-line summary."))
    customer = CustomerSummarySerializer(help_text=_("Whose case it is."))
    order = OrderSummarySerializer(allow_null=True, help_text=_("The order it is about, if any."))
    assignee = UserSummarySerializer(
        allow_null=True, help_text=_("The agent working on it; null while in the queue.")
    )
    team = TeamSummarySerializer(allow_null=True, help_text=_("The team it is routed to."))
    channel = serializers.ChoiceField(
        choices=Case.Channel.choices, help_text=_("Where the case came in.")
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES, help_text=_("Language the case is handled in.")
    )
    tags = serializers.ListField(
        child=serializers.CharField(), source="tags.all", help_text=_("Tag names.")
    )
    first_response_due = serializers.DateTimeField(
        allow_null=True, help_text=_("When the first reply is due (SLA), if a policy applies.")
    )
    resolution_due = serializers.DateTimeField(
        allow_null=True, help_text=_("When the case should be resolved (SLA).")
    )
    first_responded_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When an agent first replied publicly.")
    )
    resolved_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was resolved."))
    closed_at = serializers.DateTimeField(allow_null=True, help_text=_("When it was closed."))
    created_at = serializers.DateTimeField(help_text=_("When the case was opened."))
    updated_at = serializers.DateTimeField(help_text=_("When the case last changed."))
    version = serializers.IntegerField(
        help_text=_("Changes with every write; send it back to change the case.")
    )


@extend_schema_serializer(component_name="CaseCreate")
class CaseCreateInputSerializer(serializers.Serializer):
    """Open a case for a customer, named by `customer` (id) or `customer_email`."""

    customer = serializers.PrimaryKeyRelatedField(
        queryset=selectors.customer_list(),
        required=False,
        help_text=_("The customer's id; or send `customer_email` instead."),
    )
    customer_email = serializers.EmailField(
        required=False, help_text=_("The customer's email address, ignoring case.")
    )
    kind = serializers.ChoiceField(choices=Case.Kind.choices, help_text=_("The kind of problem."))
    subject = serializers.CharField(max_length=255, help_text=_("A one-line summary."))
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=20_000,
        help_text=_("The customer's own words; becomes the case's first message."),
    )
    order = serializers.PrimaryKeyRelatedField(
        queryset=selectors.order_list(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The order's id; it must be the customer's."),
    )
    priority = serializers.ChoiceField(
        choices=Case.Priority.choices,
        required=False,
        default=Case.Priority.NORMAL,
        help_text=_("How urgent the case is."),
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("Language to handle the case in; the customer's if omitted."),
    )
    channel = serializers.ChoiceField(
        choices=Case.Channel.choices,
        required=False,
        default=Case.Channel.API,
        help_text=_("Where the case came in."),
    )

    def validate(self, attrs: dict) -> dict:
        email = attrs.pop("customer_email", None)
        if ("customer" in attrs) == (email is not None):
            raise serializers.ValidationError(
                {"customer": [_("Send either `customer` (an id) or `customer_email`.")]}
            )
        if email is not None:
            customer = selectors.customer_list().filter(email__iexact=email).first()
            if customer is None:
                raise serializers.ValidationError(
                    {"customer_email": [_("There is no customer with this email address.")]}
                )
            attrs["customer"] = customer
        return attrs


@extend_schema_serializer(component_name="CaseUpdate")
class CaseUpdateInputSerializer(serializers.Serializer):
    """Change priority, assignee or both; `version` is always required."""

    # PATCH carries a command here, not a partial resource: never partial, so `version` stays
    # required (drf-spectacular would otherwise document every field of a PATCH as optional).
    @property
    def partial(self) -> bool:
        return False

    @partial.setter
    def partial(self, value: bool) -> None:
        pass

    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_INT,
        help_text=_("The case's `version` as you read it; a stale one gets 409."),
    )
    priority = serializers.ChoiceField(
        choices=Case.Priority.choices, required=False, help_text=_("The new priority.")
    )
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=selectors.user_list_assignable(),
        required=False,
        allow_null=True,
        help_text=_("The user id of the agent to work on it, or null for the queue."),
    )

    def validate(self, attrs: dict) -> dict:
        if "priority" not in attrs and "assignee" not in attrs:
            raise serializers.ValidationError(_("Send `priority`, `assignee` or both."))
        return attrs


@extend_schema_serializer(component_name="CaseTransition")
class CaseTransitionInputSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=TRANSITION_TARGETS,
        help_text=_("The status to move to; the allowed moves depend on the current status."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text=_("Why, for the timeline."),
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=MAX_INT,
        help_text=_("The case's `version` as you read it; a stale one gets 409."),
    )


# --- messages and events ----------------------------------------------------------------------


@extend_schema_serializer(component_name="Attachment")
class AttachmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The attachment's id."))
    filename = serializers.CharField(help_text=_("The file's name as uploaded."))
    content_type = serializers.CharField(help_text=_("MIME type, e.g. image/jpeg."))
    size = serializers.IntegerField(help_text=_("Size in bytes."))


@extend_schema_serializer(component_name="Message")
class MessageOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The message's id."))
    author_kind = serializers.ChoiceField(
        choices=Message.Author.choices, help_text=_("Who wrote it.")
    )
    author = UserSummarySerializer(
        source="author_user", allow_null=True, help_text=_("The agent who wrote it, if one did.")
    )
    visibility = serializers.ChoiceField(
        choices=Message.Visibility.choices,
        help_text=_("`public`: the customer sees it; `internal`: agents only."),
    )
    body = serializers.CharField(help_text=_("The text."))
    attachments = AttachmentOutputSerializer(many=True, help_text=_("Files sent with it."))
    created_at = serializers.DateTimeField(help_text=_("When it was written."))


@extend_schema_serializer(component_name="MessageCreate")
class MessageCreateInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=20_000, help_text=_("The text."))
    visibility = serializers.ChoiceField(
        choices=Message.Visibility.choices,
        required=False,
        default=Message.Visibility.PUBLIC,
        help_text=_("`public` reply to the customer (default) or `internal` note."),
    )


@extend_schema_serializer(component_name="CaseEvent")
class CaseEventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text=_("The event's id."))
    verb = serializers.CharField(help_text=_("What happened, e.g. `status_changed`."))
    actor = serializers.CharField(
        source="actor.username",
        allow_null=True,
        help_text=_("Username of who did it; null for the customer or the system."),
    )
    data = serializers.DictField(help_text=_("Details, depending on the verb."))
    created_at = serializers.DateTimeField(help_text=_("When it happened."))
