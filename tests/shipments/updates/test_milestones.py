"""Milestone updates: sent once per milestone after the intake's commit, in the customer's
language, by SMS only with consent, never for returns."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from shipments.models import Shipment, ShipmentStatus
from shipments.services.updates import (
    SHIPMENT_UPDATES_SEND,
    shipment_delay_announce,
    shipment_updates_send,
)
from shipments.signals import StatusChange, status_changed
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import CustomerFactory, OrderFactory
from tickets.models import Notification

pytestmark = pytest.mark.django_db

S = ShipmentStatus


def parcel(*, status=S.IN_TRANSIT, language="fr", sms_consent=False, **fields):
    customer = CustomerFactory(language=language, sms_consent=sms_consent)
    return ShipmentFactory(order=OrderFactory(customer=customer), status=status, **fields)


def change(shipment, status, previous=S.PENDING):
    return StatusChange(
        shipment_id=shipment.pk, previous=previous, status=status, incident_reason="",
        at=timezone.now(), event_id=1,
    )  # fmt: skip


def send(django_capture_on_commit_callbacks, *changes):
    """What the intake does: send the signal in its transaction. The receiver queues the task
    by name on commit; run it as the worker would, with the arguments through JSON."""
    with django_capture_on_commit_callbacks() as callbacks:
        status_changed.send(sender=Shipment, changes=list(changes))
    [queued] = callbacks
    task, payload = queued.args
    assert task == SHIPMENT_UPDATES_SEND
    return shipment_updates_send(changes=json.loads(json.dumps(payload)))


def test_shipped_is_sent_once_in_the_customers_language(django_capture_on_commit_callbacks):
    shipment = parcel(language="fr")

    send(django_capture_on_commit_callbacks, change(shipment, S.IN_TRANSIT))
    send(django_capture_on_commit_callbacks, change(shipment, S.IN_TRANSIT))

    email = Notification.objects.get(template="shipment_update")
    assert email.channel == "email"
    assert email.language == "fr"
    assert shipment.order.number in email.subject
    assert "https://www.dhl.com/track?tracking-id=" in email.body
    # No case to follow: the portal link offers the customer's orders.
    assert "Voir vos commandes dans votre espace client" in email.body
    assert "Suivez votre dossier" not in email.body


def test_a_flapping_status_sends_nothing_new(django_capture_on_commit_callbacks):
    shipment = parcel(status=S.OUT_FOR_DELIVERY)
    send(django_capture_on_commit_callbacks, change(shipment, S.OUT_FOR_DELIVERY))
    Shipment.objects.filter(pk=shipment.pk).update(status=S.IN_TRANSIT)
    send(django_capture_on_commit_callbacks, change(shipment, S.IN_TRANSIT))
    Shipment.objects.filter(pk=shipment.pk).update(status=S.OUT_FOR_DELIVERY)

    send(django_capture_on_commit_callbacks, change(shipment, S.OUT_FOR_DELIVERY))

    keys = sorted(Notification.objects.values_list("idempotency_key", flat=True))
    assert keys == [
        f"shipment_update:{shipment.pk}:out_for_delivery:email",
        f"shipment_update:{shipment.pk}:shipped:email",
    ]


def test_sms_only_with_consent():
    with_consent = parcel(status=S.DELIVERED, sms_consent=True)
    without = parcel(status=S.DELIVERED, sms_consent=False)

    shipment_updates_send(
        changes=[
            {"shipment_id": with_consent.pk, "status": S.DELIVERED},
            {"shipment_id": without.pk, "status": S.DELIVERED},
        ]
    )

    assert sorted(Notification.objects.values_list("customer", "channel")) == sorted(
        [
            (with_consent.order.customer_id, "email"),
            (with_consent.order.customer_id, "sms"),
            (without.order.customer_id, "email"),
        ]
    )


def test_a_change_the_shipment_moved_on_from_is_not_sent():
    shipment = parcel(status=S.DELIVERED)

    sent = shipment_updates_send(changes=[{"shipment_id": shipment.pk, "status": S.IN_TRANSIT}])

    assert sent == 0


def test_no_updates_for_returns():
    shipment = parcel(status=S.DELIVERED, direction=Shipment.Direction.RETURN)

    assert shipment_updates_send(changes=[{"shipment_id": shipment.pk, "status": S.DELIVERED}]) == 0


def test_delay_once_per_new_estimate():
    today = timezone.localdate()
    shipment = parcel(promised_delivery_date=today, revised_estimate=today + dt.timedelta(days=3))
    assert shipment_delay_announce(shipment=shipment) == 1
    assert shipment_delay_announce(shipment=shipment) == 0

    shipment.revised_estimate = today + dt.timedelta(days=5)
    assert shipment_delay_announce(shipment=shipment) == 1


def test_the_task_arguments_survive_json(django_capture_on_commit_callbacks):
    # Given the payload the receiver queues
    shipment = parcel(status=S.CUSTOMS_HOLD)
    payload = json.loads(json.dumps([{"shipment_id": shipment.pk, "status": S.CUSTOMS_HOLD}]))

    assert shipment_updates_send(changes=payload) == 1


def test_the_queued_task_name_is_the_registered_task():
    from shipments import tasks

    assert tasks.shipment_updates_send.name == SHIPMENT_UPDATES_SEND
