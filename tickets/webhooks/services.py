"""Writes of the inbound webhooks: one delivery, one transaction; and which shop a Shopify
delivery comes from, with the secret it must be signed with."""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Order, Store, WebhookDelivery
from tickets.services.orders import (
    OrderCustomerLocked,
    OrderData,
    OrdersInvalid,
    UpsertResult,
    orders_upsert,
)
from tickets.signals import order_fulfillments
from tickets.webhooks.shopify import (
    FULFILLMENT_TOPICS,
    TOPICS,
    ShopifyOrderInvalid,
    fulfillment_order_id,
    fulfillments_of,
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
            _(
                "Topic “%(topic)s” is not accepted here: only orders/create, orders/updated, "
                "fulfillments/create and fulfillments/update."
            )
            % {"topic": topic},
            topic=topic,
        )


class MissingWebhookId(ApplicationError):
    code = "missing_webhook_id"

    def __init__(self) -> None:
        super().__init__(_("The X-Shopify-Webhook-Id header is missing."))


@dataclass(frozen=True)
class ShopifyShop:
    """Where a shop's orders go (our store slug) and the secret its deliveries must be
    signed with; an empty secret refuses every delivery, and `why` says why for the log."""

    store: str
    secret: str
    why: str = ""


def shopify_shop(*, shop_domain: str) -> ShopifyShop:
    """The shop named by X-Shopify-Shop-Domain. That header is not signed, so the secret
    that checks the signature must be that shop's own: a Store row with this domain gives it
    (and the store slug); a shop without a row is a single-shop install's, checked against
    SHOPIFY_WEBHOOK_SECRET and stored under its domain's slug, unless that slug is a Store
    row's, which only its own secret may write into."""
    domain = shop_domain.strip().lower()
    row = Store.objects.filter(shopify_domain__iexact=domain).first() if domain else None
    if row is not None:
        why = "" if row.webhook_secret else f"store {row.slug} has no webhook secret"
        return ShopifyShop(store=row.slug, secret=row.webhook_secret, why=why)
    store = store_for_shop(domain)
    if Store.objects.filter(slug=store).exists():
        return ShopifyShop(
            store=store, secret="", why=f"store {store} belongs to another Shopify domain"
        )
    secret = settings.SHOPIFY_WEBHOOK_SECRET
    return ShopifyShop(
        store=store,
        secret=secret,
        why="" if secret else "no Store row for this shop and SHOPIFY_WEBHOOK_SECRET is not set",
    )


@dataclass(frozen=True)
class Receipt:
    """What a delivery did: an Outcome of WebhookDelivery, or "duplicate" for a redelivery;
    `detail` says why a stale or refused one changed nothing."""

    outcome: str
    order_number: str
    detail: str = ""


def _delivery_received(webhook_id: str) -> WebhookDelivery | None:
    return WebhookDelivery.objects.filter(webhook_id=webhook_id).first()


def _outcome(result: UpsertResult, row: OrderData) -> tuple[str, str]:
    if result.created:
        return WebhookDelivery.Outcome.CREATED, ""
    if result.updated:
        return WebhookDelivery.Outcome.UPDATED, ""
    if result.stale:
        held = result.orders[0].shop_updated_at
        detail = _(
            "Shopify changed the order at %(held)s, after this version of %(sent)s: ignored."
        ) % {
            "held": held.isoformat() if held else "",
            "sent": row.shop_updated_at.isoformat() if row.shop_updated_at else "",
        }
        return WebhookDelivery.Outcome.STALE, detail
    return WebhookDelivery.Outcome.UNCHANGED, ""


def _announce(order: Order, fulfillments: list[dict[str, Any]]) -> None:
    """Tell the scenario apps (shipments) about the order's fulfilments once the delivery is
    committed; a receiver's failure is logged, not Shopify's problem."""
    if not fulfillments:
        return

    def send() -> None:
        for receiver, answer in order_fulfillments.send_robust(
            sender=Order, order=order, fulfillments=fulfillments
        ):
            if isinstance(answer, Exception):
                logger.error(
                    "order_fulfillments receiver %r failed for order %s",
                    receiver,
                    order.number,
                    exc_info=answer,
                )

    transaction.on_commit(send)


def _record(
    *,
    row: OrderData,
    webhook_id: str,
    topic: str,
    shop_domain: str,
    fulfillments: list[dict[str, Any]],
) -> Receipt:
    # A savepoint: if the delivery row or the order collides with a concurrent delivery, only
    # this part is undone and the caller can look again.
    with transaction.atomic():
        try:
            result = orders_upsert(rows=[row])
            outcome, detail = _outcome(result, row)
            if outcome != WebhookDelivery.Outcome.STALE:
                _announce(result.orders[0], fulfillments)
        except OrderCustomerLocked as exc:
            # Shopify retries any answer but 2xx (8 times over 4 hours, with the same body)
            # and may then drop the subscription, and with it every other order's updates. No
            # retry can change this refusal, so it is acknowledged and recorded for a person.
            outcome = WebhookDelivery.Outcome.REFUSED
            detail = " ".join(text for texts in exc.errors[0].values() for text in texts)
        except OrdersInvalid as exc:
            raise ShopifyOrderInvalid(payload_errors(exc.errors[0])) from exc
        WebhookDelivery.objects.create(
            webhook_id=webhook_id,
            topic=topic,
            shop_domain=shop_domain,
            order_number=row.number,
            outcome=outcome,
            order_updated_at=row.shop_updated_at,
            detail=detail,
        )
    return Receipt(outcome=outcome, order_number=row.number, detail=detail)


class FulfillmentInvalid(ApplicationError):
    code = "invalid_fulfillment"

    def __init__(self) -> None:
        super().__init__(_("The fulfillment has no order_id."))
        self.errors = {"order_id": [_("This field is required.")]}


def _fulfillment_receive(
    *, webhook_id: str, topic: str, shop_domain: str, store: str, payload: dict[str, Any]
) -> Receipt:
    """A fulfillments/create or fulfillments/update delivery: recorded, and its fulfilment
    announced for its order (found by Shopify's order id in `store`). A fulfilment of an
    order we do not hold is acknowledged and recorded as unchanged, with the reason."""
    order_id = fulfillment_order_id(payload)
    if not order_id:
        raise FulfillmentInvalid()
    order = Order.objects.filter(store=store, external_id=order_id).first()
    if order is None:
        outcome = WebhookDelivery.Outcome.UNCHANGED
        detail = _("No order with Shopify id %(id)s in store %(store)s: ignored.") % {
            "id": order_id,
            "store": store,
        }
    else:
        outcome, detail = WebhookDelivery.Outcome.UPDATED, ""
    number = order.number if order is not None else ""
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(
                webhook_id=webhook_id,
                topic=topic,
                shop_domain=shop_domain,
                order_number=number,
                outcome=outcome,
                detail=detail,
            )
    except IntegrityError:
        # The same delivery at once, twice: the other one recorded it.
        return Receipt(outcome=DUPLICATE, order_number=number)
    if order is not None:
        _announce(order, [payload])
    logger.info("Shopify %s %s: order %r %s %s", topic, webhook_id, number, outcome, detail)
    return Receipt(outcome=outcome, order_number=number, detail=detail)


@transaction.atomic
def shopify_order_receive(
    *, webhook_id: str, topic: str, shop_domain: str, store: str, payload: dict[str, Any]
) -> Receipt:
    """Create or update, in `store`, the order of a signed Shopify `orders/create` or
    `orders/updated` delivery and record the delivery, both or neither; after the commit,
    its `fulfillments` are announced (tickets.signals.order_fulfillments). A
    `fulfillments/create` or `fulfillments/update` delivery is recorded and its fulfilment
    announced for its order (see _fulfillment_receive). A webhook id seen
    before changes nothing and returns outcome "duplicate". A delivery older than the stored
    order (Shopify's `updated_at`) changes nothing and is recorded as "stale"; one that would
    move an order with cases to another customer changes nothing and is recorded as
    "refused", with the reason in `detail`.

    Raises UnsupportedTopic, MissingWebhookId, ShopifyOrderInvalid or FulfillmentInvalid
    (nothing written)."""
    if topic not in TOPICS:
        raise UnsupportedTopic(topic)
    if not webhook_id:
        raise MissingWebhookId()
    seen = _delivery_received(webhook_id)
    if seen is not None:
        return Receipt(outcome=DUPLICATE, order_number=seen.order_number)
    if topic in FULFILLMENT_TOPICS:
        return _fulfillment_receive(
            webhook_id=webhook_id,
            topic=topic,
            shop_domain=shop_domain,
            store=store,
            payload=payload,
        )
    row = order_data_from_payload(payload, store=store)
    delivery = {
        "row": row,
        "webhook_id": webhook_id,
        "topic": topic,
        "shop_domain": shop_domain,
        "fulfillments": fulfillments_of(payload),
    }
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
    log = logger.warning if receipt.outcome == WebhookDelivery.Outcome.REFUSED else logger.info
    log(
        "Shopify %s %s: order %s %s %s",
        topic,
        webhook_id,
        receipt.order_number,
        receipt.outcome,
        receipt.detail,
    )
    return receipt
