"""Shopify's discount codes through the Admin REST API, as Shopify documents them: first a
price rule (`POST /admin/api/<version>/price_rules.json`, answered with {"price_rule": {"id":
...}}), then its discount code (`POST /admin/api/<version>/price_rules/<id>/discount_codes.json`,
answered with {"discount_code": {"id": ..., "code": ...}}), authenticated with the
X-Shopify-Access-Token header. The transport is injected so tests never use the network."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

from wrong_items.discounts import DiscountSpec
from wrong_items.errors import DiscountPushFailed

TIMEOUT_SECONDS = 15

# (method, path under /admin/api/<version>, JSON body) -> (HTTP status, decoded JSON answer).
Transport = Callable[[str, str, dict[str, Any]], tuple[int, dict[str, Any]]]


def requests_transport(method: str, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The real call to the shop set in SHOPIFY_SHOP_DOMAIN with SHOPIFY_ADMIN_TOKEN."""
    if not (settings.SHOPIFY_SHOP_DOMAIN and settings.SHOPIFY_ADMIN_TOKEN):
        raise DiscountPushFailed(
            _("Shopify is not set up (SHOPIFY_SHOP_DOMAIN, SHOPIFY_ADMIN_TOKEN).")
        )
    url = f"https://{settings.SHOPIFY_SHOP_DOMAIN}/admin/api/{settings.SHOPIFY_API_VERSION}{path}"
    try:
        response = requests.request(
            method,
            url,
            json=body,
            headers={"X-Shopify-Access-Token": settings.SHOPIFY_ADMIN_TOKEN},
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise DiscountPushFailed(str(exc)) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    return response.status_code, answer if isinstance(answer, dict) else {}


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


def _errors(answer: dict[str, Any]) -> str:
    errors = answer.get("errors")
    if isinstance(errors, dict):
        return "; ".join(f"{key}: {', '.join(map(str, value))}" for key, value in errors.items())
    return str(errors or "")


class ShopifyAdapter:
    name = "shopify"

    def __init__(self, transport: Transport | None = None) -> None:
        self.transport = transport or requests_transport

    def push(self, spec: DiscountSpec) -> str:
        """Returns "<price rule id>/<discount code id>"; raises DiscountPushFailed."""
        status, answer = self.transport("POST", "/price_rules.json", price_rule_body(spec))
        rule = answer.get("price_rule") if status < 300 else None
        if not isinstance(rule, dict) or "id" not in rule:
            raise DiscountPushFailed(_errors(answer) or f"HTTP {status}")
        status, answer = self.transport(
            "POST",
            f"/price_rules/{rule['id']}/discount_codes.json",
            {"discount_code": {"code": spec.code}},
        )
        code = answer.get("discount_code") if status < 300 else None
        if not isinstance(code, dict) or "id" not in code:
            raise DiscountPushFailed(_errors(answer) or f"HTTP {status}")
        return f"{rule['id']}/{code['id']}"
