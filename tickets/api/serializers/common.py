"""What several resources share: the fields of money, lists and times, and the small nested
outputs that name a customer, an order, a user or a team."""

import re
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import fields, relations, serializers

from tickets.money import money_str
from tickets.validators import CURRENCIES

from .fast import FastOutputSerializer

# Upper bound of integer inputs stored in 32-bit columns: larger ones are a 400, not a
# database overflow.
MAX_INT = 2_147_483_647


# --- fields -----------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^\d+(\.\d{1,3})?$", "example": "12.50"}
)
class MoneyField(serializers.DecimalField):
    """An amount as a string in its currency's minor units: EUR "54.90", JPY "5490", KWD
    "1.250" (tickets.money.money_str, like everywhere money leaves the system)."""

    def __init__(self, *, currency_source: str = "currency", **kwargs) -> None:
        self.currency_source = currency_source.split(".")
        super().__init__(max_digits=14, decimal_places=3, read_only=True, **kwargs)

    def get_attribute(self, instance):
        amount = super().get_attribute(instance)
        return (amount, fields.get_attribute(instance, self.currency_source))

    def to_representation(self, value) -> str:
        amount, currency = value
        return money_str(amount, currency)


# What an amount may look like on the way in: digits, a point, at most three decimals (the
# most any currency has); no sign, no exponent, at most 11 digits before the point (the column
# holds 14 in all).
MONEY_INPUT = re.compile(r"\d{1,11}(\.\d{1,3})?")


@extend_schema_field(
    {
        "type": "string",
        "format": "decimal",
        "pattern": f"^{MONEY_INPUT.pattern}$",
        "example": "12.50",
    }
)
class MoneyInputField(serializers.DecimalField):
    """An amount sent as a string ("12.50", "1500"): never a JSON number, which clients
    round through binary floats. Its currency's decimals are checked by the service."""

    default_error_messages = {
        "money": _(
            'Send the amount as a string of digits with a decimal point, e.g. "12.50" or "1500".'
        ),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(max_digits=14, decimal_places=3, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not MONEY_INPUT.fullmatch(data):
            self.fail("money")
        return super().to_internal_value(data)


# Every ISO 3166-1 alpha-2 code (django-countries): the API's CountryEnum.
COUNTRY_CHOICES = [code for code, _name in countries]


class CountryCodeField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code in capitals, such as DE."""

    default_error_messages = {
        "invalid_choice": _("{input} is not an ISO 3166-1 country code such as DE, FR or JP."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=COUNTRY_CHOICES, **kwargs)


# Every ISO-4217 code Babel knows: the API's CurrencyEnum.
CURRENCY_CHOICES = sorted(CURRENCIES)


class CurrencyField(serializers.ChoiceField):
    """An ISO-4217 code, one of the currencies Babel knows."""

    default_error_messages = {
        "invalid_choice": _("{input} is not an ISO-4217 currency code such as EUR, USD or JPY."),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(choices=CURRENCY_CHOICES, **kwargs)


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
    return MoneyInputField(help_text=help_text, **kwargs)


# --- JSON types -------------------------------------------------------------------------------

TYPE_MESSAGES = {
    str: _("Send a string."),
    int: _("Send a whole number."),
    bool: _("Send true or false."),
}


def _expected_type(field: serializers.Field) -> type | None:
    """The JSON type the schema documents for `field`, where DRF would quietly take another
    (a number for a string, "5" for 5, "yes" for true)."""
    if isinstance(field, serializers.BooleanField):
        return bool
    if isinstance(field, serializers.IntegerField | relations.PrimaryKeyRelatedField):
        return int
    if isinstance(field, serializers.ChoiceField):
        keys = list(field.choices)
        return str if keys and all(isinstance(key, str) for key in keys) else None
    if isinstance(field, serializers.CharField | serializers.DateTimeField):
        return str
    return None


def json_type_errors(field: serializers.Field, value: Any) -> Any:
    """Errors, shaped like DRF's, where `value` has another JSON type than the schema says
    `field` takes; None when every type is right. Values of the wrong shape altogether (a list
    for an object) and money are left to the fields, whose messages say more."""
    if value is None or field.read_only:
        return None
    if isinstance(field, serializers.ListSerializer | serializers.ListField):
        if not isinstance(value, list):
            return None
        items = [json_type_errors(field.child, item) for item in value]
        return [item or {} for item in items] if any(items) else None
    if isinstance(field, serializers.Serializer):
        if not isinstance(value, dict):
            return None
        errors = {
            name: error
            for name, child in field.fields.items()
            if name in value and (error := json_type_errors(child, value[name]))
        }
        return errors or None
    expected = _expected_type(field)
    if expected is None:
        return None
    wrong = not isinstance(value, expected) or (expected is int and isinstance(value, bool))
    return [str(TYPE_MESSAGES[expected])] if wrong else None


# --- small nested outputs ---------------------------------------------------------------------


@extend_schema_serializer(component_name="CustomerSummary")
class CustomerSummarySerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The customer's id."))
    email = serializers.EmailField(help_text=_("The customer's email address."))
    name = serializers.CharField(help_text=_("The customer's name; may be empty."))


@extend_schema_serializer(component_name="OrderSummary")
class OrderSummarySerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The order's id."))
    store = serializers.CharField(help_text=_("The store the order was placed in."))
    number = serializers.CharField(help_text=_("The shop's own order number."))


@extend_schema_serializer(component_name="UserSummary")
class UserSummarySerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The user's id."))
    username = serializers.CharField(help_text=_("The user's login name."))


@extend_schema_serializer(component_name="TeamSummary")
class TeamSummarySerializer(FastOutputSerializer):
    id = serializers.IntegerField(help_text=_("The team's id."))
    name = serializers.CharField(help_text=_("The team's name."))
