"""Shopify's discount codes through the Admin REST API, as Shopify documents them: first a
price rule (`POST /admin/api/<version>/price_rules.json`, answered with {"price_rule": {"id":
...}}), then its discount code (`POST /admin/api/<version>/price_rules/<id>/discount_codes.json`,
answered with {"discount_code": {"id": ..., "code": ...}}), authenticated with the
X-Shopify-Access-Token header. The transport is injected so tests never use the network."""

from decimal import Decimal
from typing import Any

from tickets.shopify_admin import ShopifyUnreachable, Transport, shopify_errors, shopify_request
from wrong_items.discounts import DiscountSpec
from wrong_items.errors import DiscountPushFailed


def requests_transport(method: str, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The real call, its failure to connect a refused push."""
    try:
        return shopify_request(method, path, body)
    except ShopifyUnreachable as exc:
        raise DiscountPushFailed(str(exc)) from exc


def price_rule_body(spec: DiscountSpec) -> dict[str, Any]:
    """The price rule of one single-use code: the whole order, once, until it expires. Shopify
    writes the value as a negative decimal string; a fixed amount is in the shop's currency."""
    value = -abs(Decimal(spec.value))
    return {
        "price_rule": {
            "title": spec.title,
            "target_type": "line_item",
            "target_selection": "all",
            "allocation_method": "across",
            "value_type": "percentage" if spec.value_type == "percentage" else "fixed_amount",
            "value": f"{value:.2f}",
            "customer_selection": "all",
            "once_per_customer": True,
            "usage_limit": 1,
            "starts_at": spec.starts_at.isoformat(),
            "ends_at": spec.expires_at.isoformat(),
        }
    }


class ShopifyAdapter:
    name = "shopify"

    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or requests_transport

    def push(self, spec: DiscountSpec) -> str:
        """Returns "<price rule id>/<discount code id>"; raises DiscountPushFailed."""
        status, answer = self.transport("POST", "/price_rules.json", price_rule_body(spec))
        rule = answer.get("price_rule") if status < 300 else None
        if not isinstance(rule, dict) or "id" not in rule:
            raise DiscountPushFailed(shopify_errors(answer) or f"HTTP {status}")
        status, answer = self.transport(
            "POST",
            f"/price_rules/{rule['id']}/discount_codes.json",
            {"discount_code": {"code": spec.code}},
        )
        code = answer.get("discount_code") if status < 300 else None
        if not isinstance(code, dict) or "id" not in code:
            raise DiscountPushFailed(shopify_errors(answer) or f"HTTP {status}")
        return f"{rule['id']}/{code['id']}"
