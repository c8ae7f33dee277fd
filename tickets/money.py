"""Money as people and programs see it: the one place amounts are rounded and formatted.

Amounts are stored as `Decimal` with three decimal places, enough for any ISO-4217 currency
(KWD and BHD have three). What leaves the system has exactly as many decimals as its currency
(its minor units): `money_str` for programs (the API, timeline data: "1234" JPY, "12.50" EUR,
"1.250" KWD) and `format_money` for people, through Babel's `format_currency` in the viewer's
locale ("¥1,234", "12,50 €"). Templates use the `money` filter (tickets.templatetags.money).
"""

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from django.conf import settings
from django.utils import translation

from tickets.validators import currency_precision


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of `currency`: 1 for JPY, 0.01 for EUR, 0.001 for KWD."""
    return Decimal(1).scaleb(-currency_precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """`amount` with exactly as many decimals as `currency` has (half up, as shops round)."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def money_str(amount: Decimal, currency: str) -> str:
    """`amount` for programs: a plain decimal string in `currency`'s minor units, no exponent."""
    return f"{quantize(amount, currency):f}"


def _babel_locale(language: str | None) -> Locale:
    code = translation.to_locale(language or settings.LANGUAGE_CODE)
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(translation.to_locale(settings.LANGUAGE_CODE))


def format_money(amount: Decimal, currency: str, language: str | None = None) -> str:
    """`amount` for people, in `language` (default: the active one, i.e. the viewer's), with
    the currency's symbol and its minor units: "¥1,234", "12,50 €", "1.250 د.ك.‏"."""
    locale = _babel_locale(language or translation.get_language())
    return format_currency(quantize(amount, currency), currency, locale=locale)
