"""Outbound shipments from the shop's own fulfilments: Shopify's Fulfillment objects (an order
payload's `fulfillments`, or a fulfillments/create or fulfillments/update body) create or
update a shipment per tracking number, and their shipment status becomes a tracking event."""

import logging
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shipments.models import Shipment, ShipmentStatus, TrackingEvent
from shipments.services.carriers import ALIASES, name_key
from shipments.services.intake import events_record
from shipments.services.shipments import ShipmentData, ShipmentInvalid, shipment_upsert
from shipments.status_map import from_shopify
from shipments.tracking import EventIn
from tickets.models import Order

logger = logging.getLogger(__name__)

# Fulfilment statuses that mean nothing left the warehouse: the request to the fulfilment
# service failed.
NOT_SHIPPED = frozenset({"error", "failure"})
OTHER_CARRIER = "other"
URL_MAX = 500


def _text(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()


def _texts(value: object) -> list[str]:
    return [text for item in value if (text := _text(item))] if isinstance(value, list) else []


def _url(value: object) -> str:
    text = _text(value)
    if len(text) > URL_MAX or urlsplit(text).scheme not in ("http", "https"):
        return ""
    return text


def carrier_name(fulfilment: Mapping[str, Any], url: str) -> str:
    """The carrier a fulfilment names (`tracking_company`), else the one whose site its
    tracking URL is on (ups.com → ups), else "other"."""
    company = _text(fulfilment.get("tracking_company"))
    if company:
        return company
    host = urlsplit(url).hostname or ""
    for label in reversed(host.split(".")[:-1]):
        if name_key(label) in ALIASES:
            return label
    return OTHER_CARRIER


def _moment(value: object) -> Any:
    text = _text(value)
    try:
        moment = parse_datetime(text) if text else None
    except ValueError:
        moment = None
    return moment if moment is not None and moment.tzinfo is not None else None


def _events(fulfilment: Mapping[str, Any], fulfilment_id: str, number: str) -> list[EventIn]:
    at = _moment(fulfilment.get("updated_at")) or _moment(fulfilment.get("created_at"))
    at = at or timezone.now()
    events = []
    if _text(fulfilment.get("status")) == "cancelled":
        events.append(
            EventIn(
                occurred_at=at,
                status=ShipmentStatus.CANCELLED,
                raw_status="cancelled",
                external_id=f"{fulfilment_id}:{number}:cancelled",
                payload={"status": "cancelled"},
            )
        )
    elif shipment_status := _text(fulfilment.get("shipment_status")):
        mapped = from_shopify(shipment_status)
        events.append(
            EventIn(
                occurred_at=at,
                status=mapped.status,
                incident_reason=mapped.reason,
                raw_status=mapped.raw,
                external_id=f"{fulfilment_id}:{number}:{shipment_status}",
                payload={"shipment_status": shipment_status},
            )
        )
    return events


def fulfilments_receive(
    *, order: Order, fulfilments: Sequence[Mapping[str, Any]]
) -> list[Shipment]:
    """Create or update the shipments of `order` that Shopify's `fulfilments` describe, one
    per tracking number, and record their shipment status as an event (source "shopify").
    Idempotent: the same fulfilments again change nothing. A fulfilment without a tracking
    number, a failed one, or one the shipment model refuses is logged and skipped."""
    shipments = []
    for fulfilment in fulfilments:
        fulfilment_id = _text(fulfilment.get("id"))
        status = _text(fulfilment.get("status"))
        numbers = _texts(fulfilment.get("tracking_numbers")) or _texts(
            [fulfilment.get("tracking_number")]
        )
        if status in NOT_SHIPPED or not numbers:
            logger.info(
                "Order %s: fulfilment %s (%s) has no parcel to track: skipped.",
                order.number,
                fulfilment_id,
                status or "no status",
            )
            continue
        urls = [_url(url) for url in fulfilment.get("tracking_urls") or []]
        for index, number in enumerate(numbers):
            url = urls[index] if index < len(urls) else (_url(fulfilment.get("tracking_url")))
            data = ShipmentData(
                tracking_number=number,
                carrier=carrier_name(fulfilment, url),
                external_id=fulfilment_id,
                tracking_url=url,
                shipped_at=_moment(fulfilment.get("created_at")),
            )
            try:
                shipment, _created = shipment_upsert(order=order, data=data)
            except ShipmentInvalid as exc:
                logger.warning(
                    "Order %s: fulfilment %s, tracking number %s refused: %s",
                    order.number,
                    fulfilment_id,
                    number,
                    exc.errors,
                )
                continue
            if shipment.order_id != order.pk:
                logger.warning(
                    "Order %s: tracking number %s belongs to order %s's shipment: skipped.",
                    order.number,
                    number,
                    shipment.order_id,
                )
                continue
            events = _events(fulfilment, fulfilment_id, number)
            if events:
                events_record(shipment=shipment, events=events, source=TrackingEvent.Source.SHOPIFY)
            shipments.append(shipment)
    return shipments
