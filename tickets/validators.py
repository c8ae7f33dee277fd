"""Field validators with messages a person understands."""

import re
from decimal import Decimal
from zoneinfo import available_timezones

import phonenumbers
from babel.numbers import get_currency_precision, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

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


def phone_normalise(value: str, country: str = "") -> str:
    """`value` in E.164 form. A number written without its country code is read as a number
    of `country` (ISO 3166-1 alpha-2, "" if unknown): "0151 23456789" with DE gives
    "+4915123456789". The one normaliser of every way customers come in (API, CSV, Shopify).

    Raises ValidationError, code "phone_no_country" for a national number without a country,
    "phone_invalid" for anything that is not a valid number."""
    text = value.strip()
    region = country.strip().upper()
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE and (
            not region and not text.startswith("+")
        ):
            raise ValidationError(
                _(
                    "“%(value)s” has no country code: write it with one (e.g. "
                    "+4915112345678) or give the customer's country."
                ),
                code="phone_no_country",
                params={"value": text},
            ) from exc
        raise _phone_invalid(text, region) from exc
    if not phonenumbers.is_valid_number(number):
        raise _phone_invalid(text, region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _phone_invalid(text: str, region: str) -> ValidationError:
    name = countries.name(region) if region and not text.startswith("+") else ""
    if name:
        return ValidationError(
            _("“%(value)s” is not a valid phone number in %(country)s."),
            code="phone_invalid",
            params={"value": text, "country": name},
        )
    return ValidationError(
        _("“%(value)s” is not a valid phone number."), code="phone_invalid", params={"value": text}
    )


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
