"""Payment adapters: how a decided refund's money reaches the customer.

`manual` (the default) moves nothing itself: the agent refunds in the shop and confirms here
with the shop's reference. `shopify` refunds through Shopify's Admin REST API at once, from a
worker. settings.RETURN_PAYMENT_ADAPTER picks one; an adapter that is `automatic` is called with
a RefundSpec and returns the provider's reference, raising RefundFailed when the provider
refuses."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class RefundFailed(Exception):
    """The provider did not pay the refund; the text says why (for the agent)."""


@dataclass(frozen=True)
class RefundSpec:
    order_id: str  # the shop's order id
    currency: str
    amount: Decimal
    lines: tuple[tuple[str, int], ...]  # (the shop's line id, units)
    note: str


class PaymentAdapter(Protocol):
    name: str
    automatic: bool

    def refund(self, spec: RefundSpec) -> str:
        """Pay `spec` back; the provider's reference for it. Raises RefundFailed."""
        ...


class ManualAdapter:
    """The agent refunds in the shop and confirms with its reference."""

    name = "manual"
    automatic = False

    def refund(self, spec: RefundSpec) -> str:
        raise RefundFailed("A manual refund is confirmed by an agent.")


ADAPTERS = ("manual", "shopify")


def payment_adapter(name: str | None = None) -> PaymentAdapter:
    """The adapter `name` (default settings.RETURN_PAYMENT_ADAPTER)."""
    name = name or settings.RETURN_PAYMENT_ADAPTER
    if name == "manual":
        return ManualAdapter()
    if name == "shopify":
        from returns.payments.shopify import ShopifyRefundAdapter

        return ShopifyRefundAdapter()
    raise ImproperlyConfigured(f"Unknown RETURN_PAYMENT_ADAPTER {name!r}.")
