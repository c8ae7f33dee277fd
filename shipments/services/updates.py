"""Proactive milestone updates: when the intake moves a shipment's status (the
`status_changed` signal), the customer hears of it by email, and by SMS where they agreed to
texts (tickets.services.notifications.customer_channels: `Customer.sms_consent` and a valid
phone number), in their language, with SMS held back during quiet hours by notify() itself.

Each milestone goes out once per shipment: notify()'s key is "<shipment>:<milestone>" (and the
estimate's date for a delay), so a carrier repeating an event or a status flapping back sends
nothing new. Updates need no case: they link to the customer's orders in the portal."""

import logging
from typing import Any

from django.db import transaction
from django.urls import reverse

from shipments.models import Shipment, ShipmentStatus
from shipments.signals import StatusChange
from tickets.services import queue
from tickets.services.notifications import notify

logger = logging.getLogger(__name__)

S = ShipmentStatus

# The customer notification of milestones (templates/notifications/shipment_update/).
UPDATE_EVENT = "shipment_update"
SHIPMENT_UPDATES_SEND = "shipments.tasks.shipment_updates_send"

# The statuses customers hear about, and the milestone each one is.
MILESTONES: dict[str, str] = {
    S.IN_TRANSIT: "shipped",
    S.CUSTOMS_HOLD: "customs_hold",
    S.OUT_FOR_DELIVERY: "out_for_delivery",
    S.DELIVERY_FAILED: "delivery_failed",
    S.DELIVERED: "delivered",
}
DELAYED = "delayed"


def status_changed_receiver(sender: object, changes: list[StatusChange], **kwargs: Any) -> None:
    """Queue the milestone updates of `changes` once the intake's transaction commits (the
    rendering and the outbox rows are the worker's job, not the webhook's)."""
    payload = [
        {"shipment_id": change.shipment_id, "status": change.status, "event_id": change.event_id}
        for change in changes
    ]
    if payload:
        queue.enqueue_on_commit(SHIPMENT_UPDATES_SEND, payload)


def _milestones(shipment: Shipment, status: str) -> list[tuple[str, str]]:
    """(milestone, notify key) pairs due for `shipment` after a change to `status`."""
    due = []
    # A change the shipment has since moved on from is not news any more: its later change
    # brings its own update (and a delivered parcel is not "out for delivery" again).
    if status == shipment.status and status in MILESTONES:
        milestone = MILESTONES[status]
        due.append((milestone, f"{shipment.pk}:{milestone}"))
    promised, revised = shipment.promised_delivery_date, shipment.revised_estimate
    if not shipment.is_final and promised and revised and revised > promised:
        due.append((DELAYED, f"{shipment.pk}:{DELAYED}:{revised.isoformat()}"))
    return due


def shipment_update_send(*, shipment: Shipment, milestone: str, key: str) -> int:
    """Tell the customer of `shipment` about `milestone` once per `key`; returns how many
    notifications were written (0 when the key was used before)."""
    rows = notify(
        customer=shipment.order.customer,
        event=UPDATE_EVENT,
        key=key,
        context={
            "milestone": milestone,
            "shipment": shipment,
            "order": shipment.order,
            "tracking_link": shipment.tracking_link,
            "link_path": reverse("tickets:portal-orders"),
        },
    )
    return len(rows)


def shipment_delay_announce(*, shipment: Shipment) -> int:
    """The "delayed, new estimate" update for a shipment whose estimate moved later without a
    change of status (e.g. an AfterShip `edd_revise`), once per estimate."""
    with transaction.atomic():
        return sum(
            shipment_update_send(shipment=shipment, milestone=milestone, key=key)
            for milestone, key in _milestones(shipment, "")
        )


def shipment_updates_send(*, changes: list[dict[str, Any]]) -> int:
    """Send the milestone updates due for `changes` (dicts with shipment_id and status, in the
    order they happened); returns how many notifications were written. Return shipments are
    the customer's own parcels to us: they get no updates."""
    latest: dict[int, str] = {}
    for change in changes:
        latest[int(change["shipment_id"])] = str(change["status"])
    shipments = (
        Shipment.objects.filter(pk__in=latest)
        .exclude(direction=Shipment.Direction.RETURN)
        .select_related("order__customer", "carrier")
    )
    sent = 0
    for shipment in shipments:
        with transaction.atomic():
            for milestone, key in _milestones(shipment, latest[shipment.pk]):
                sent += shipment_update_send(shipment=shipment, milestone=milestone, key=key)
    return sent
