"""`{% load money %}` then `{{ amount|money:currency }}`: "¥1,234", "12,50 €" in the viewer's
language, through tickets.money.format_money like every other place that shows money."""

from decimal import Decimal

from django import template

from tickets.money import format_money

register = template.Library()


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    """`amount` in `currency` for people; an empty string for no amount."""
    if amount is None or amount == "":
        return ""
    return format_money(Decimal(amount), currency)
