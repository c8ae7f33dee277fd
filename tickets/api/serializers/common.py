"""What several resources share: the fields of money, lists and times, and the small nested
outputs that name a customer, an order, a user or a team."""

from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import fields, serializers

from tickets.validators import currency_precision

# Upper bound of integer inputs stored in 32-bit columns: larger ones are a 400, not a
# database overflow.
MAX_INT = 2_147_483_647


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
