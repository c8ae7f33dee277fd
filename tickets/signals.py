"""Signals the spine sends so scenario apps can follow what the shop tells it without the
spine importing them (shipments subscribes in its AppConfig.ready())."""

from django.dispatch import Signal

# Sent after the commit that stored a Shopify delivery carrying fulfilments (an order payload's
# `fulfillments`, or a fulfillments/create or fulfillments/update body), with `order` (the
# tickets.models.Order) and `fulfillments`: the list of Shopify Fulfillment objects as sent
# (dicts, untouched). Sent with send_robust: a failing receiver is logged, never the sender's
# failure; the same fulfilments may be sent again (redeliveries, order updates), so receivers
# must be idempotent.
order_fulfillments = Signal()
