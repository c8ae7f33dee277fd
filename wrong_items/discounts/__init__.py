"""Discount adapters: where a wrong-item discount code is pushed so the shop accepts it.

An adapter takes the code as we generated it and returns the shop's reference for it (or ""),
raising DiscountPushFailed when the shop refuses. `manual` pushes nothing (an agent enters the
code in the shop); `shopify` makes a price rule and its one discount code through Shopify's
Admin REST API. settings.WRONG_ITEM_DISCOUNT_ADAPTER picks one."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class DiscountSpec:
    code: str
    value_type: str  # DiscountCode.ValueType: "fixed" or "percentage"
    value: Decimal
    currency: str
    starts_at: datetime
    expires_at: datetime
    title: str


class DiscountAdapter(Protocol):
    name: str

    def push(self, spec: DiscountSpec) -> str:
        """Make the shop accept `spec.code`; returns the shop's reference ("" if none)."""
        ...


class ManualAdapter:
    """Nothing is pushed: the agent enters the code in the shop by hand."""

    name = "manual"

    def push(self, spec: DiscountSpec) -> str:
        return ""


def discount_adapter() -> DiscountAdapter:
    """The adapter settings.WRONG_ITEM_DISCOUNT_ADAPTER names."""
    name = settings.WRONG_ITEM_DISCOUNT_ADAPTER
    if name == "manual":
        return ManualAdapter()
    if name == "shopify":
        from wrong_items.discounts.shopify import ShopifyAdapter

        return ShopifyAdapter()
    raise ImproperlyConfigured(f"Unknown WRONG_ITEM_DISCOUNT_ADAPTER {name!r}.")
