"""Field validators with messages a person understands."""

import re
from decimal import Decimal
from zoneinfo import available_timezones

import phonenumbers
from babel.numbers import get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENCIES = frozenset(list_currencies())
E164_SHAPE = re.compile(r"\+[1-9]\d{1,14}")
TIMEZONES = frozenset(available_timezones())


def validate_e164(value: str) -> None:
    """Accept only a valid phone number written in E.164 form, such as +4915112345678."""
    not_e164 = ValidationError(
        _("Enter the phone number in international form, e.g. +4915112345678."),
        code="phone_not_e164",
    )
    invalid = ValidationError(
        _("%(value)s is not a valid phone number."), code="phone_invalid", params={"value": value}
    )
    if not E164_SHAPE.fullmatch(value):
        raise not_e164
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise invalid from exc
    if not phonenumbers.is_valid_number(number):
        raise invalid


def validate_currency(value: str) -> None:
    """Accept an ISO-4217 currency code such as EUR, USD or JPY."""
    if value not in CURRENCIES:
        raise ValidationError(
            _("%(value)s is not an ISO-4217 currency code such as EUR, USD or JPY."),
            code="currency_unknown",
            params={"value": value},
        )


def validate_timezone(value: str) -> None:
    """Accept an IANA time zone name such as Europe/Berlin."""
    if value not in TIMEZONES:
        raise ValidationError(
            _("%(value)s is not a time zone name such as Europe/Berlin."),
            code="timezone_unknown",
            params={"value": value},
        )


def validate_non_negative(value: Decimal) -> None:
    if value is not None and value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative_amount")


def currency_precision(currency: str) -> int:
    """Digits after the decimal point in `currency` (2 for EUR, 0 for JPY, 3 for KWD)."""
    return get_currency_precision(currency)


def validate_amount_for_currency(amount: Decimal | None, currency: str, field: str) -> None:
    """Refuse an amount with more decimals than its currency has (JPY 100.50, EUR 1.005)."""
    if amount is None or currency not in CURRENCIES:
        return
    digits = currency_precision(currency)
    if amount != amount.quantize(Decimal(1).scaleb(-digits)):
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(currency)s amounts have %(digits)s decimal places."),
                    code="amount_precision",
                    params={"currency": currency, "digits": digits},
                )
            }
        )
