"""A real worker delivers the outbox to a real SMTP server: every notification exactly once,
and none lost when the worker is SIGKILLed mid-run (repeats only for messages in flight)."""

import threading

import pytest

from tests.tickets.delivery.harness import (
    CONCURRENCY,
    notifications_create,
    notifications_enqueue,
    scaled,
    sent_count,
)
from tickets.models import Notification

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

COUNT = scaled(1_000)
KILL_AT = COUNT * 3 // 10


def test_a_thousand_notifications_each_arrive_exactly_once(delivery):
    # given 1,000 notifications (40 on the filesystem broker) queued as notify() queues them
    ids = notifications_create(COUNT)
    notifications_enqueue(ids)
    # when a worker delivers them
    delivery.start_worker()
    took = delivery.wait_until(lambda: sent_count() == COUNT, timeout=150, what="all sent")
    delivery.wait_until(lambda: delivery.broker.queued() == 0, timeout=30, what="queue drained")
    # then each arrived once under its own Message-ID, and every row is sent
    print(f"\n{COUNT} notifications delivered in {took:.1f} s")
    delivery.assert_each_sent_once(ids)
    assert delivery.mailbox.accepted == COUNT


def test_a_worker_killed_mid_run_loses_nothing_and_repeats_only_what_was_in_flight(
    delivery, record_property
):
    # given 1,000 queued notifications (40 on the filesystem broker) and a worker sending them
    ids = notifications_create(COUNT)
    notifications_enqueue(ids)
    worker = delivery.start_worker()
    killed = threading.Event()

    def kill_while_sending(accepted: int) -> None:
        # The SMTP server has this message but has not answered yet: the worker dies with it
        # (and whatever its other child is sending) in flight.
        if accepted == KILL_AT and not killed.is_set():
            worker.kill()
            killed.set()

    delivery.mailbox.on_accept = kill_while_sending
    # when SIGKILL takes the worker and its children in the middle of the run
    delivery.wait_until(
        killed.is_set,
        timeout=120,
        what=f"the kill at message {KILL_AT}",
        workers_must_live=False,
    )
    delivery.mailbox.on_accept = None
    at_kill = sent_count()
    # and a new worker takes over while the sweeper runs as beat would
    delivery.start_worker()
    took = delivery.wait_until(
        lambda: sent_count() == COUNT, timeout=180, what="all sent after restart", sweep_every=2
    )
    # then nothing is lost: every row is sent, every message arrived
    repeats = delivery.mailbox.repeats()
    print(
        f"\nkilled at {at_kill} rows sent; all {COUNT} sent {took:.1f} s after restart; "
        f"{sum(repeats.values())} repeated message(s) (concurrency {CONCURRENCY}): {repeats}"
    )
    record_property("repeats", sum(repeats.values()))
    assert Notification.objects.filter(pk__in=ids, status=Notification.Status.SENT).count() == COUNT
    assert delivery.mailbox.distinct == COUNT, delivery.report()
    # and only messages in flight at the kill came twice, each under its own Message-ID
    assert 1 <= sum(repeats.values()) <= CONCURRENCY, delivery.report()
    assert all(copies == 1 for copies in repeats.values())
    for key, message_id in Notification.objects.values_list("idempotency_key", "message_id"):
        assert delivery.mailbox.message_ids[key] == {message_id}, key
