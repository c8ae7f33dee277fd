"""Thin Celery tasks: take ids and primitives, call one service."""

import socket

from celery import shared_task


@shared_task(bind=True)
def worker_heartbeat(self) -> None:
    from tickets.services.system import worker_heartbeat_record

    worker_heartbeat_record(hostname=self.request.hostname or socket.gethostname())


@shared_task
def cases_autoclose() -> int:
    from tickets.services.cases import cases_autoclose as close

    return close()
