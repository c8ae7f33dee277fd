"""Writes of the inbound webhooks: one delivery, one transaction."""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import WebhookDelivery
from tickets.services.orders import OrderData, OrdersInvalid, orders_upsert
from tickets.webhooks.shopify import (
    TOPICS,
    ShopifyOrderInvalid,
    order_data_from_payload,
    payload_errors,
    store_for_shop,
)

logger = logging.getLogger(__name__)

DUPLICATE = "duplicate"


class UnsupportedTopic(ApplicationError):
    code = "unsupported_topic"

    def __init__(self, topic: str) -> None:
        super().__init__(
            _("Topic “%(topic)s” is not accepted here: only orders/create and orders/updated.")
            % {"topic": topic},
            topic=topic,
        )


class MissingWebhookId(ApplicationError):
    code = "missing_webhook_id"

    def __init__(self) -> None:
        super().__init__(_("The X-Shopify-Webhook-Id header is missing."))


@dataclass(frozen=True)
class Receipt:
    """What a delivery did: an Outcome of WebhookDelivery, or "duplicate" for a redelivery."""

    outcome: str
    order_number: str


def _delivery_received(webhook_id: str) -> WebhookDelivery | None:
    return WebhookDelivery.objects.filter(webhook_id=webhook_id).first()


def _record(*, row: OrderData, webhook_id: str, topic: str, shop_domain: str) -> Receipt:
    # A savepoint: if the delivery row or the order collides with a concurrent delivery, only
    # this part is undone and the caller can look again.
    with transaction.atomic():
        try:
            result = orders_upsert(rows=[row])
        except OrdersInvalid as exc:
            raise ShopifyOrderInvalid(payload_errors(exc.errors[0])) from exc
        if result.created:
            outcome = WebhookDelivery.Outcome.CREATED
        elif result.updated:
            outcome = WebhookDelivery.Outcome.UPDATED
        else:
            outcome = WebhookDelivery.Outcome.UNCHANGED
        WebhookDelivery.objects.create(
            webhook_id=webhook_id,
            topic=topic,
            shop_domain=shop_domain,
            order_number=row.number,
            outcome=outcome,
        )
    return Receipt(outcome=outcome, order_number=row.number)


@transaction.atomic
def shopify_order_receive(
    *, webhook_id: str, topic: str, shop_domain: str, payload: dict[str, Any]
) -> Receipt:
    """Create or update the order of a signed Shopify `orders/create` or `orders/updated`
    delivery and record the delivery, both or neither. A webhook id seen before changes
    nothing and returns outcome "duplicate".

    Raises UnsupportedTopic, MissingWebhookId or ShopifyOrderInvalid (nothing written)."""
    if topic not in TOPICS:
        raise UnsupportedTopic(topic)
    if not webhook_id:
        raise MissingWebhookId()
    seen = _delivery_received(webhook_id)
    if seen is not None:
        return Receipt(outcome=DUPLICATE, order_number=seen.order_number)
    row = order_data_from_payload(payload, store=store_for_shop(shop_domain))
    delivery = {"row": row, "webhook_id": webhook_id, "topic": topic, "shop_domain": shop_domain}
    try:
        receipt = _record(**delivery)
    except IntegrityError:
        # Shopify may deliver the same webhook twice at once, and sends orders/create and
        # orders/updated of a new order within a second. On PostgreSQL the loser waits for the
        # winner's commit and then collides: either on the webhook id (a duplicate) or on the
        # order or customer the winner created, which it now sees, so a second try updates.
        seen = _delivery_received(webhook_id)
        if seen is not None:
            return Receipt(outcome=DUPLICATE, order_number=seen.order_number)
        receipt = _record(**delivery)
    logger.info(
        "Shopify %s %s: order %s %s", topic, webhook_id, receipt.order_number, receipt.outcome
    )
    return receipt
