"""Thin Celery tasks: take ids and primitives, call one service.

Tasks import the services at the top; services never import this module (they queue tasks by
name through tickets.services.queue), so there is no cycle to hide."""

import socket
from typing import Any

from celery import shared_task

from tickets.services import cases, delivery, inbound, redelivery, system


@shared_task(bind=True)
def worker_heartbeat(self: Any) -> None:
    system.worker_heartbeat_record(hostname=self.request.hostname or socket.gethostname())


@shared_task
def cases_autoclose() -> int:
    return cases.cases_autoclose()


@shared_task
def notification_deliver(notification_id: int) -> str:
    outcome = delivery.notification_deliver(notification_id=notification_id)
    if outcome.retry_in is not None:
        notification_deliver.apply_async(
            (notification_id,), countdown=outcome.retry_in.total_seconds()
        )
    return outcome.status


@shared_task
def notifications_sweep() -> int:
    ids = redelivery.notifications_sweep()
    for notification_id in ids:
        notification_deliver.delay(notification_id)
    return len(ids)


@shared_task
def inbound_mail_poll() -> int:
    return inbound.inbound_mail_poll()
