"""Thin Celery tasks: take ids and primitives, call one service."""

import socket
from typing import Any

from celery import shared_task


@shared_task(bind=True)
def worker_heartbeat(self: Any) -> None:
    from tickets.services.system import worker_heartbeat_record

    worker_heartbeat_record(hostname=self.request.hostname or socket.gethostname())


@shared_task
def cases_autoclose() -> int:
    from tickets.services.cases import cases_autoclose as close

    return close()


@shared_task
def notification_deliver(notification_id: int) -> str:
    from tickets.services.delivery import notification_deliver as deliver

    outcome = deliver(notification_id=notification_id)
    if outcome.retry_in is not None:
        notification_deliver.apply_async(
            (notification_id,), countdown=outcome.retry_in.total_seconds()
        )
    return outcome.status


@shared_task
def notifications_sweep() -> int:
    from tickets.services.delivery import notifications_sweep as sweep

    ids = sweep()
    for notification_id in ids:
        notification_deliver.delay(notification_id)
    return len(ids)


@shared_task
def inbound_mail_poll() -> int:
    from tickets.services.inbound import inbound_mail_poll as poll

    return poll()
