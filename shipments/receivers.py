"""What shipments does when the spine, or its own tracking, tells it something (connected in
apps.ready())."""

from typing import Any

from shipments.services.fulfilments import fulfilment_events_receive, fulfilments_receive
from shipments.services.waiting import carrier_answered
from shipments.signals import StatusChange
from tickets.models import Order


def order_fulfillments_received(
    sender: object, *, order: Order, fulfillments: list[dict[str, Any]], **kwargs: object
) -> None:
    """tickets.signals.order_fulfillments: the shop's fulfilments become shipments."""
    fulfilments_receive(order=order, fulfilments=fulfillments)


def order_fulfillment_events_received(
    sender: object, *, order: Order, events: list[dict[str, Any]], **kwargs: object
) -> None:
    """tickets.signals.order_fulfillment_events: carrier statuses Shopify passes on."""
    fulfilment_events_receive(order=order, events=events)


def carrier_news_received(sender: object, changes: list[StatusChange], **kwargs: Any) -> None:
    """shipments.signals.status_changed: cases waiting on the carrier open on its news."""
    carrier_answered(changes=changes)
