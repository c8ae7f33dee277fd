"""Money leaves the system in its currency's minor units, for programs and for people."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from tickets.money import format_money, money_str, quantize


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.000", "JPY", "1234"),
        ("1234", "JPY", "1234"),
        ("12.500", "EUR", "12.50"),
        ("12.5", "EUR", "12.50"),
        ("0.000", "EUR", "0.00"),
        ("1.250", "KWD", "1.250"),
        ("1.25", "BHD", "1.250"),
        ("1E+3", "EUR", "1000.00"),  # never an exponent
    ],
)
def test_money_str_has_exactly_the_currencys_decimals(amount, currency, expected):
    assert money_str(Decimal(amount), currency) == expected


def test_quantize_rounds_half_up_to_the_minor_unit():
    assert quantize(Decimal("0.125"), "EUR") == Decimal("0.13")
    assert quantize(Decimal("1234.5"), "JPY") == Decimal(1235)


@pytest.mark.parametrize(
    ("amount", "currency", "language", "expected"),
    [
        ("1234.000", "JPY", "en", "¥1,234"),
        ("1234.000", "JPY", "de", "1.234\xa0¥"),
        ("12.500", "EUR", "en", "€12.50"),
        ("12.500", "EUR", "de", "12,50\xa0€"),
        ("1234.5", "EUR", "fr", "1\u202f234,50\xa0€"),
        ("1.250", "KWD", "en", "KWD1.250"),
        ("12.5", "EUR", "zh-hans", "€12.50"),
    ],
)
def test_format_money_speaks_the_language_asked_for(amount, currency, language, expected):
    assert format_money(Decimal(amount), currency, language) == expected


def test_format_money_uses_the_active_language_by_default():
    # given a viewer reading German
    with translation.override("de"):
        # then amounts are written the German way
        assert format_money(Decimal("1234.000"), "JPY") == "1.234\xa0¥"
    with translation.override("en"):
        assert format_money(Decimal("1234.000"), "JPY") == "¥1,234"


def test_the_template_filter_formats_through_the_same_helper():
    template = Template("{% load money %}{{ amount|money:currency }}|{{ none|money:'EUR' }}")
    with translation.override("de"):
        rendered = template.render(Context({"amount": Decimal("12.500"), "currency": "EUR"}))
    assert rendered == "12,50\xa0€|"
