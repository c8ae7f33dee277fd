"""What shipments does when the spine tells it something (connected in apps.ready())."""

from typing import Any

from shipments.services.fulfilments import fulfilments_receive
from tickets.models import Order


def order_fulfillments_received(
    sender: object, *, order: Order, fulfillments: list[dict[str, Any]], **kwargs: object
) -> None:
    """tickets.signals.order_fulfillments: the shop's fulfilments become shipments."""
    fulfilments_receive(order=order, fulfilments=fulfillments)
