"""Thin Celery tasks: take ids and primitives, call one service.

Tasks import the services at the top; services never import this module (they queue tasks by
name through tickets.services.queue), so there is no cycle to hide."""

import socket
from typing import Any

from celery import shared_task

from tickets.services import (
    cases,
    delivery,
    inbound,
    portal_access,
    redelivery,
    sla_alerts,
    system,
)


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


@shared_task
def portal_link_send(
    order_ref: str, email: str, ip: str | None, next_path: str, actor_id: int | None
) -> bool:
    """Email a portal sign-in link if `order_ref` and `email` match; True if one was sent."""
    link = portal_access.portal_link_request(
        order_ref=order_ref, email=email, ip=ip, next_path=next_path, actor_id=actor_id
    )
    return link is not None


@shared_task
def sla_breaches_alert() -> int:
    return sla_alerts.sla_breaches_alert()
