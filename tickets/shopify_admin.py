"""Calls to the shop's Shopify Admin REST API (SHOPIFY_SHOP_DOMAIN, SHOPIFY_ADMIN_TOKEN,
SHOPIFY_API_VERSION), shared by the scenario apps' Shopify adapters (wrong items' discount codes,
returns' refunds). Adapters take a `Transport` so tests never use the network."""

from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 15

# (method, path under /admin/api/<version>, JSON body) -> (HTTP status, decoded JSON answer).
Transport = Callable[[str, str, dict[str, Any]], tuple[int, dict[str, Any]]]


class ShopifyUnreachable(Exception):
    """The call could not be made (not set up, or the network failed); its text says which."""


def shopify_request(method: str, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The real call to the shop; raises ShopifyUnreachable."""
    if not (settings.SHOPIFY_SHOP_DOMAIN and settings.SHOPIFY_ADMIN_TOKEN):
        raise ShopifyUnreachable(
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
        raise ShopifyUnreachable(str(exc)) from exc
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    return response.status_code, answer if isinstance(answer, dict) else {}


def shopify_errors(answer: dict[str, Any]) -> str:
    """Shopify's `errors` (a text, or {field: [messages]}) as one line."""
    errors = answer.get("errors")
    if isinstance(errors, dict):
        return "; ".join(f"{key}: {', '.join(map(str, value))}" for key, value in errors.items())
    return str(errors or "")
