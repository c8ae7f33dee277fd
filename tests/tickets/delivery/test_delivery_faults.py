"""What goes wrong around a real worker: the mail server down for a while, the broker losing
its queue, a recipient the server refuses. Each notification still goes out exactly once."""

import pytest

from tests.tickets.delivery.harness import (
    notifications_create,
    notifications_enqueue,
    outbox_counts,
    scaled,
    sent_count,
)
from tickets.models import Notification
from tickets.services.redelivery import notification_retry

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SENT, FAILED = Notification.Status.SENT, Notification.Status.FAILED


def test_while_the_mail_server_is_down_notifications_wait_and_then_go_once(delivery):
    # given the mail server is down and notifications are queued
    delivery.smtp.stop()
    ids = notifications_create(scaled(200))
    notifications_enqueue(ids)
    delivery.start_worker()
    # when every one of them has failed twice (the backoff starts at 1 s in the worker)
    delivery.wait_until(
        lambda: Notification.objects.filter(pk__in=ids, attempts__gte=2).count() == len(ids),
        timeout=60,
        what="two failed attempts each while the server is down",
    )
    assert outbox_counts(ids) == {Notification.Status.PENDING: len(ids)}
    assert "Mail server unreachable" in Notification.objects.get(pk=ids[0]).last_error
    # and the server comes back
    delivery.smtp.start()
    took = delivery.wait_until(
        lambda: sent_count() == len(ids), timeout=90, what="all sent once the server is back"
    )
    delivery.wait_until(lambda: delivery.broker.queued() == 0, timeout=30, what="queue drained")
    # then each went out once, on a retry
    print(f"\n{len(ids)} notifications sent {took:.1f} s after the mail server came back")
    delivery.assert_each_sent_once(ids)
    assert not Notification.objects.filter(pk__in=ids, attempts__lt=3).exists()
    assert not Notification.objects.filter(pk__in=ids).exclude(last_error="").exists()


def test_the_broker_losing_its_queue_delays_notifications_but_loses_none(delivery):
    # given notifications being delivered by a worker
    ids = notifications_create(scaled(600))
    notifications_enqueue(ids)
    worker = delivery.start_worker()
    delivery.wait_until(lambda: sent_count() >= len(ids) // 6, timeout=60, what="a sixth sent")
    # when the broker loses every message it holds (Redis FLUSHDB, or the queue folder wiped)
    lost = delivery.broker.lose_messages()
    assert lost > 0, "the loss came too late to lose anything"
    # then the sweeper, run as beat runs it, has the same worker deliver everything pending
    took = delivery.wait_until(
        lambda: sent_count() == len(ids),
        timeout=60,
        what="the sweeper and the worker to deliver what the broker lost",
        sweep_every=2,
    )
    print(f"\n{lost} queued messages lost; every notification sent {took:.1f} s after the loss")
    assert worker.alive and len(delivery.workers) == 1, "the worker was restarted"
    delivery.wait_until(lambda: delivery.broker.queued() == 0, timeout=30, what="queue drained")
    delivery.assert_each_sent_once(ids)
    # and the worker takes new messages from the broker again, no sweeper involved
    fresh = notifications_create(1)
    notifications_enqueue(fresh)
    delivery.wait_until(
        lambda: outbox_counts(fresh) == {SENT: 1}, timeout=30, what="a notification queued after"
    )


def test_a_refused_recipient_fails_once_and_a_retry_later_sends_it_once(delivery):
    # given a mail server that refuses one domain's recipients with 550
    delivery.mailbox.refused_domains = {"gone.example"}
    refused = notifications_create(5, domain="gone.example")
    accepted = notifications_create(5)
    notifications_enqueue(refused + accepted)
    # when a worker delivers them
    delivery.start_worker()
    delivery.wait_until(
        lambda: outbox_counts(refused) == {FAILED: 5} and outbox_counts(accepted) == {SENT: 5},
        timeout=60,
        what="the refused failed and the others sent",
    )
    # and the sweeper runs over the outbox
    delivery.sweep()
    delivery.wait_until(lambda: delivery.broker.queued() == 0, timeout=30, what="queue drained")
    # then each refused row failed at its first attempt with a readable reason, tried once
    for row in Notification.objects.filter(pk__in=refused):
        assert row.attempts == 1
        assert row.last_error == (
            f"The mail server refused {row.recipient} (SMTP 550 5.1.1 <{row.recipient}>: "
            "Recipient address rejected: no such user)"
        )
    assert delivery.mailbox.refusals == 5
    # when the address works again and an agent retries each failed row
    delivery.mailbox.refused_domains = set()
    for row in Notification.objects.filter(pk__in=refused):
        notification_retry(notification=row, actor=None)
    # then each is sent once
    delivery.wait_until(
        lambda: outbox_counts(refused) == {SENT: 5}, timeout=60, what="the retried rows sent"
    )
    delivery.wait_until(lambda: delivery.broker.queued() == 0, timeout=30, what="queue drained")
    delivery.assert_each_sent_once(refused + accepted)


def test_a_mail_server_answering_after_the_timeout_gets_repeats_only_under_one_message_id(
    delivery,
):
    # given a mail server that keeps each message but answers only after the worker's
    # EMAIL_TIMEOUT (1 s), and notifications queued
    delivery.mailbox.data_answer_after = 2
    ids = notifications_create(5)
    notifications_enqueue(ids)
    delivery.start_worker(EMAIL_TIMEOUT="1")
    # when each send has gone unanswered once
    delivery.wait_until(
        lambda: (
            Notification.objects.filter(pk__in=ids, unconfirmed_at__isnull=False).count()
            == len(ids)
        ),
        timeout=60,
        what="each send unanswered once",
    )
    # and the server answers in time again
    delivery.mailbox.data_answer_after = 0
    delivery.wait_until(
        lambda: outbox_counts(ids) == {SENT: len(ids)}, timeout=60, what="all sent", sweep_every=2
    )
    # then each row is sent and confirmed, and the server got every message more than once,
    # but always under that row's one Message-ID, so the receiver keeps one copy
    rows = Notification.objects.filter(pk__in=ids)
    assert not rows.filter(unconfirmed_at__isnull=False).exists()
    for key, message_id in rows.values_list("idempotency_key", "message_id"):
        assert delivery.mailbox.message_ids[key] == {message_id}, key
        assert delivery.mailbox.copies[message_id] >= 2, delivery.report()
    assert delivery.mailbox.distinct == len(ids)
