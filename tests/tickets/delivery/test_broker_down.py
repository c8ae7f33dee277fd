"""The broker down when a change commits: the change is saved and answered as usual, the
failure to queue is logged, and the sweeper delivers the row once the broker is back."""

import logging
import socket
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from aftersales.celery import app as celery_app
from tests.celery_support import drop_pooled_connections
from tests.tickets.factories import NotificationFactory
from tickets.models import Message, Notification
from tickets.services import queue, redelivery
from tickets.services.api_keys import api_key_create

pytestmark = pytest.mark.django_db

S = Notification.Status


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_down():
    """Celery publishes to a Redis nobody listens on (tasks are not run eagerly)."""
    conf = celery_app.conf
    previous = (
        conf.broker_url,
        conf.broker_transport,
        conf.task_always_eager,
        conf.task_publish_retry_policy,
    )
    # No transport named beside the URL (the settings name one for the filesystem broker).
    conf.broker_url, conf.broker_transport = f"redis://127.0.0.1:{_closed_port()}/0", None
    conf.task_always_eager = False
    conf.task_publish_retry_policy = {"max_retries": 1, "interval_start": 0, "interval_step": 0}
    drop_pooled_connections()
    yield
    (
        conf.broker_url,
        conf.broker_transport,
        conf.task_always_eager,
        conf.task_publish_retry_policy,
    ) = previous
    drop_pooled_connections()


def test_enqueue_reports_a_broker_it_cannot_reach_and_logs_it(broker_down, caplog):
    with caplog.at_level(logging.WARNING, logger="tickets.services.queue"):
        assert queue.enqueue(queue.NOTIFICATION_DELIVER, 1) is False
    assert "Could not queue tickets.tasks.notification_deliver(1,)" in caplog.text


def test_an_api_change_is_saved_and_answered_while_the_broker_is_down(
    broker_down, case, caplog, django_capture_on_commit_callbacks
):
    # given the broker is down and an API key
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {api_key_create(name='Shop', scope='write', actor=None)[1]}"
    )
    # when the API posts a public reply, which notifies the customer after commit
    with (
        caplog.at_level(logging.WARNING, logger="tickets.services.queue"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(
            f"/api/v1/cases/{case.number}/messages/", {"body": "Sent today."}, format="json"
        )
    # then the reply is saved and answered 201, not a 500
    assert response.status_code == 201, response.content
    assert Message.objects.filter(case=case, body="Sent today.").exists()
    # and its email waits in the outbox, the failure to queue it logged
    email = Notification.objects.get(case=case, template="agent_reply", channel="email")
    assert email.status == S.PENDING
    assert "Could not queue tickets.tasks.notification_deliver" in caplog.text
    # and once it is stale the sweeper queues it again
    later = timezone.now() + timedelta(minutes=2)
    assert email.pk in redelivery.notifications_sweep(now=later)


def test_send_again_is_saved_and_answered_while_the_broker_is_down(
    broker_down, agent_client, django_capture_on_commit_callbacks
):
    # given a failed email and the broker down
    row = NotificationFactory()
    Notification.objects.filter(pk=row.pk).update(status=S.FAILED)
    # when an agent presses "Send again"
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(f"/agent/notifications/{row.pk}/retry/")
    # then they get the list back, and the row is pending for the sweeper
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == S.PENDING


def test_check_workers_is_answered_while_the_broker_is_down(
    broker_down, agent_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post("/agent/workers/check/")
    assert response.status_code == 302


def test_every_task_the_services_queue_by_name_exists():
    for name in (queue.NOTIFICATION_DELIVER, queue.WORKER_HEARTBEAT, queue.PORTAL_LINK_SEND):
        assert name in celery_app.tasks
