import base64
import copy
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.urls import reverse


def _fixtures() -> Path:
    """shared/fixtures beside the project (CI checks out ../shared), or beside a folder above
    it (a git worktree of the project lives deeper)."""
    for folder in Path(__file__).resolve().parents[3].parents:
        if (folder / "shared" / "fixtures").is_dir():
            return folder / "shared" / "fixtures"
    raise FileNotFoundError("shared/fixtures is not beside the project")


FIXTURES = _fixtures()
SECRET = "test-shopify-secret"
URL = "/webhooks/shopify/orders/"
SIGNED = "signed with SECRET"


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


@pytest.fixture(scope="session")
def _fixture_order() -> dict:
    return json.loads((FIXTURES / "shopify_order.json").read_text())["order"]


@pytest.fixture
def shopify_order(_fixture_order) -> dict:
    """The inner "order" of Shopify's own sample: the body of an orders/create webhook."""
    return copy.deepcopy(_fixture_order)


@pytest.fixture
def shopify_secret(settings):
    settings.SHOPIFY_WEBHOOK_SECRET = SECRET
    return SECRET


@pytest.fixture
def deliver(client, shopify_secret):
    """POST `body` (a payload dict, or bytes as they are) as Shopify would: signed with the
    test secret unless another `signature` is given; a header given as None is left out."""

    def deliver(
        body,
        *,
        webhook_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        topic="orders/create",
        shop="johns-apparel.myshopify.com",
        signature=SIGNED,
    ):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {
            "X-Shopify-Hmac-Sha256": sign(raw) if signature == SIGNED else signature,
            "X-Shopify-Webhook-Id": webhook_id,
            "X-Shopify-Topic": topic,
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-API-Version": "2024-01",
        }
        headers = {name: value for name, value in headers.items() if value is not None}
        assert reverse("webhooks:shopify-orders") == URL
        return client.post(URL, data=raw, content_type="application/json", headers=headers)

    return deliver
