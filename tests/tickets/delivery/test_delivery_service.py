"""tickets.services.delivery without processes: which rows a worker may claim, what a send's
outcome does to its row, the backoff, the sweeper, and what reaches the broker when."""

import json
import smtplib
from datetime import timedelta

import kombu.transport.memory
import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

from aftersales.celery import app as celery_app
from tests.celery_support import drop_pooled_connections
from tests.tickets.factories import NotificationFactory
from tickets.models import CaseEvent, Notification
from tickets.services import delivery, redelivery
from tickets.services.notifications import notify
from tickets.services.timeline import Verb
from tickets.tasks import notification_deliver, notifications_sweep

PENDING, SENT, FAILED = (
    Notification.Status.PENDING,
    Notification.Status.SENT,
    Notification.Status.FAILED,
)


class DownBackend(BaseEmailBackend):
    """A mail server that does not answer."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class RefusingBackend(BaseEmailBackend):
    """A mail server that has no such mailbox."""

    def send_messages(self, email_messages):
        recipient = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({recipient: (550, b"5.1.1 No such user")})


class ReplyingBackend(BaseEmailBackend):
    """A mail server that answers the message with `reply`, a (code, text) pair."""

    reply = (451, b"4.3.0 Try again later")

    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(*self.reply)


def backend(cls: type) -> str:
    return f"{__name__}.{cls.__name__}"


@pytest.fixture
def memory_broker():
    """Tasks go to Kombu's in-memory broker instead of running eagerly; returns a reader of
    what was published to a queue, as (task name, args decoded from the JSON body)."""
    conf = celery_app.conf
    previous = (
        conf.broker_url,
        conf.broker_transport,
        conf.broker_transport_options,
        conf.task_always_eager,
    )
    # No transport named beside the URL (the settings name one for the filesystem broker).
    conf.broker_url, conf.broker_transport = "memory://", None
    conf.broker_transport_options, conf.task_always_eager = {}, False
    kombu.transport.memory.Channel.queues.clear()
    drop_pooled_connections()

    def published(queue: str = "notifications") -> list[tuple[str, list]]:
        found = []
        with celery_app.connection_for_read() as connection:
            channel = connection.default_channel
            while (message := channel.basic_get(queue, no_ack=True)) is not None:
                assert message.content_type == "application/json"
                args, kwargs, _embed = json.loads(message.body)
                assert kwargs == {}
                found.append((message.headers["task"], args))
        return found

    yield published
    (
        conf.broker_url,
        conf.broker_transport,
        conf.broker_transport_options,
        conf.task_always_eager,
    ) = previous
    kombu.transport.memory.Channel.queues.clear()
    drop_pooled_connections()


# --- Claim rules ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_due_pending_row_is_sent_once_under_its_message_id():
    # given a pending email due now
    row = NotificationFactory()
    # when a worker delivers it
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then it went out once, with the row's Message-ID, and the row records it
    assert outcome == delivery.Outcome("sent")
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == row.message_id
    assert message.extra_headers["X-Aftersales-Notification"] == row.idempotency_key
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == (SENT, 1, None)
    assert row.sent_at is not None and row.provider_id == row.message_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [
        {"status": SENT},
        {"status": FAILED},
        {"next_attempt_at": timezone.now() + timedelta(minutes=5)},
        {"claimed_until": timezone.now() + timedelta(minutes=5)},
    ],
    ids=["sent", "failed", "not-due", "claimed-by-another-worker"],
)
def test_a_row_that_is_not_pending_due_and_free_is_skipped(state):
    # given a row already sent, failed, not due yet, or being sent by another worker
    row = NotificationFactory(attempts=1, **state)
    # when a (duplicate) task for it runs
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then nothing is sent and the row is as it was
    assert outcome == delivery.Outcome("skipped")
    assert mail.outbox == []
    fresh = Notification.objects.get(pk=row.pk)
    assert (fresh.status, fresh.attempts, fresh.claimed_until) == (
        row.status,
        1,
        row.claimed_until,
    )


@pytest.mark.django_db
def test_the_claim_of_a_worker_that_died_expires():
    # given a row a killed worker claimed and never finished
    row = NotificationFactory(attempts=1, claimed_until=timezone.now() - timedelta(seconds=1))
    # when another worker delivers it
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then it goes out, as the second attempt, under the same Message-ID
    assert outcome == delivery.Outcome("sent")
    [message] = mail.outbox
    assert message.extra_headers["Message-ID"] == row.message_id
    assert Notification.objects.get(pk=row.pk).attempts == 2
    # and the case's timeline says the first send may have arrived and this one repeats it
    [event] = CaseEvent.objects.filter(case=row.case, verb=Verb.NOTIFICATION_UNCONFIRMED)
    assert event.data["next"] == "resend_same_message_id"
    assert event.data["message_id"] == row.message_id


@pytest.mark.django_db
def test_a_claim_holds_the_row_for_notification_claim_seconds(settings):
    # given a claim lease of 45 s
    settings.NOTIFICATION_CLAIM_SECONDS = 45
    row = NotificationFactory()
    before = timezone.now()
    # when a worker claims the row
    claimed = delivery._claim(row.pk)
    # then the row is held for 45 s, and no other worker can claim it meanwhile
    assert claimed is not None
    assert timedelta(seconds=45) <= claimed.claimed_until - before < timedelta(seconds=46)
    assert delivery._claim(row.pk) is None


@pytest.mark.django_db
def test_a_row_out_of_attempts_is_marked_failed_without_another_send(settings):
    # given a row whose every attempt was taken by workers that died mid-send
    row = NotificationFactory(attempts=settings.NOTIFICATION_MAX_ATTEMPTS)
    # when a task for it runs
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then it gives up, says why, and sends nothing
    assert outcome == delivery.Outcome("skipped")
    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.status, row.last_error) == (FAILED, "Gave up: a worker died mid-send.")


# --- Outcomes of a send -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_server_that_does_not_answer_leaves_the_row_pending_for_a_retry(settings):
    # given a mail server that is down, and a backoff starting at 30 s
    settings.EMAIL_BACKEND = backend(DownBackend)
    settings.NOTIFICATION_BACKOFF_BASE_SECONDS = 30
    row = NotificationFactory()
    # when a worker tries to send
    before = timezone.now()
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then the row waits for a retry in 24 to 36 s, queued with that countdown
    assert outcome.status == "retry"
    assert timedelta(seconds=24) <= outcome.retry_in <= timedelta(seconds=36)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == (PENDING, 1, None)
    assert row.last_error.startswith("Mail server unreachable: [Errno 111] Connection refused")
    assert before + timedelta(seconds=24) <= row.next_attempt_at
    assert row.next_attempt_at <= timezone.now() + timedelta(seconds=36)


@pytest.mark.django_db
def test_a_retry_due_beyond_the_longest_countdown_is_left_to_the_sweeper(settings):
    # given a mail server that is down and a row on its sixth attempt (16 minutes' backoff)
    settings.EMAIL_BACKEND = backend(DownBackend)
    row = NotificationFactory(attempts=5)
    # when the attempt fails
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then no countdown is queued (the broker would hand it out again): the row waits
    assert outcome == delivery.Outcome("retry", None)
    assert Notification.objects.get(pk=row.pk).next_attempt_at > timezone.now() + timedelta(
        minutes=12
    )


@pytest.mark.django_db
def test_the_last_attempt_failing_marks_the_row_failed(settings):
    # given a mail server that is down and a row on its last attempt
    settings.EMAIL_BACKEND = backend(DownBackend)
    row = NotificationFactory(attempts=settings.NOTIFICATION_MAX_ATTEMPTS - 1)
    # when the attempt fails
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then the row is failed, with the reason
    assert outcome == delivery.Outcome("failed")
    row.refresh_from_db()
    assert (row.status, row.attempts) == (FAILED, settings.NOTIFICATION_MAX_ATTEMPTS)
    assert row.last_error.startswith("Mail server unreachable")


@pytest.mark.django_db
def test_a_refused_recipient_fails_at_once_with_a_readable_reason(settings):
    # given a mail server that has no such mailbox
    settings.EMAIL_BACKEND = backend(RefusingBackend)
    row = NotificationFactory()
    # when a worker tries to send
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then the row fails at its first attempt, saying who was refused and why
    assert outcome == delivery.Outcome("failed")
    row.refresh_from_db()
    assert (row.status, row.attempts) == (FAILED, 1)
    assert (
        row.last_error == f"The mail server refused {row.recipient} (SMTP 550 5.1.1 No such user)"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reply", "status", "error"),
    [
        ((451, b"4.3.0 Try again later"), PENDING, "SMTP 451 4.3.0 Try again later"),
        ((554, b"5.7.1 Rejected as spam"), FAILED, "SMTP 554 5.7.1 Rejected as spam"),
    ],
    ids=["4xx-retried", "5xx-failed"],
)
def test_a_server_reply_of_4xx_is_retried_and_of_5xx_fails(
    settings, monkeypatch, reply, status, error
):
    # given a mail server that answers the message with a 4xx or a 5xx reply
    settings.EMAIL_BACKEND = backend(ReplyingBackend)
    monkeypatch.setattr(ReplyingBackend, "reply", reply)
    row = NotificationFactory()
    # when a worker tries to send
    delivery.notification_deliver(notification_id=row.pk)
    # then a 4xx leaves the row for a retry, a 5xx fails it; either way the reply is readable
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (status, 1, error)


# --- Backoff ----------------------------------------------------------------------------------


@pytest.mark.parametrize("attempts", range(1, 11))
def test_backoff_doubles_from_the_base_within_20_percent_jitter_up_to_2_hours(settings, attempts):
    # given the default base of 30 s
    settings.NOTIFICATION_BACKOFF_BASE_SECONDS = 30
    nominal = min(30 * 2 ** (attempts - 1), 7200)
    # when the backoff is drawn many times
    draws = [delivery.backoff(attempts).total_seconds() for _ in range(200)]
    # then each lies within ±20 % of 30 s × 2^(attempts-1), capped at 2 hours, and they spread
    assert all(0.8 * nominal <= draw <= 1.2 * nominal for draw in draws)
    assert max(draws) - min(draws) > 0.2 * nominal


def test_backoff_follows_its_base_setting(settings):
    settings.NOTIFICATION_BACKOFF_BASE_SECONDS = 1
    assert timedelta(seconds=3.2) <= delivery.backoff(3) <= timedelta(seconds=4.8)


# --- Sweeper ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweeper_requeues_only_stale_pending_unclaimed_rows_and_stamps_them(settings):
    # given rows in every state, with "stale" meaning older than NOTIFICATION_SWEEP_AFTER_SECONDS
    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 60
    now = timezone.now()
    old, recent = now - timedelta(minutes=5), now - timedelta(seconds=10)
    lost = NotificationFactory(next_attempt_at=old, enqueued_at=old)
    never_queued = NotificationFactory(next_attempt_at=old, enqueued_at=None)
    dead_claim = NotificationFactory(
        next_attempt_at=old, enqueued_at=old, claimed_until=now - timedelta(seconds=1)
    )
    skipped = [
        NotificationFactory(next_attempt_at=old, enqueued_at=recent),  # queued a moment ago
        NotificationFactory(next_attempt_at=recent, enqueued_at=old),  # due only just now
        NotificationFactory(next_attempt_at=now + timedelta(hours=1), enqueued_at=old),
        NotificationFactory(
            next_attempt_at=old, enqueued_at=old, claimed_until=now + timedelta(minutes=5)
        ),
        NotificationFactory(next_attempt_at=old, enqueued_at=old, status=SENT),
        NotificationFactory(next_attempt_at=old, enqueued_at=old, status=FAILED),
    ]
    # when the sweeper runs
    ids = redelivery.notifications_sweep(now=now)
    # then it returns the lost, the never queued and the dead worker's rows, stamped as queued
    assert sorted(ids) == sorted([lost.pk, never_queued.pk, dead_claim.pk])
    assert set(Notification.objects.filter(enqueued_at=now).values_list("pk", flat=True)) == set(
        ids
    )
    for row in skipped:
        assert Notification.objects.get(pk=row.pk).enqueued_at == row.enqueued_at
    # and a second sweep straight after finds nothing to do
    assert redelivery.notifications_sweep(now=now) == []


@pytest.mark.django_db
def test_a_row_swept_again_and_again_waits_twice_as_long_each_time(settings):
    # given a row queued at t=0 and never picked up (a long backlog, or lost every time)
    settings.NOTIFICATION_SWEEP_AFTER_SECONDS = 60
    start = timezone.now()
    row = NotificationFactory(next_attempt_at=start, enqueued_at=start)
    # when the sweeper runs every 30 seconds for ten minutes
    swept_at = [
        seconds
        for seconds in range(0, 601, 30)
        if redelivery.notifications_sweep(now=start + timedelta(seconds=seconds)) == [row.pk]
    ]
    # then it is queued again after 1, 2, 4 and 8 minutes, not every minute
    assert swept_at == [60, 120, 240, 480]


@pytest.mark.django_db
def test_the_sweeper_takes_a_bounded_batch_most_overdue_first():
    # given five lost rows, due at different times
    now = timezone.now()
    rows = [
        NotificationFactory(next_attempt_at=now - timedelta(hours=h), enqueued_at=None)
        for h in (1, 5, 3, 2, 4)
    ]
    # when the sweeper runs with a batch of three
    ids = redelivery.notifications_sweep(now=now, batch_size=3)
    # then it takes the three most overdue; the next sweep takes the rest
    assert ids == [rows[1].pk, rows[4].pk, rows[2].pk]
    assert sorted(redelivery.notifications_sweep(now=now)) == sorted([rows[0].pk, rows[3].pk])


@pytest.mark.django_db
def test_the_sweep_task_queues_one_delivery_per_lost_row(memory_broker):
    # given two lost rows
    old = timezone.now() - timedelta(hours=1)
    rows = [NotificationFactory(next_attempt_at=old, enqueued_at=old) for _ in range(2)]
    # when beat's sweep task runs
    assert notifications_sweep() == 2
    # then each row's delivery is queued on the notifications queue
    assert sorted(memory_broker()) == sorted(
        ("tickets.tasks.notification_deliver", [row.pk]) for row in rows
    )


# --- Enqueueing -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_notify_queues_delivery_only_when_its_transaction_commits(
    case, memory_broker, django_capture_on_commit_callbacks
):
    # given a change that notifies the customer, inside a transaction
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        [row] = notify(customer=case.customer, event="case_received", key="k1", case=case)
        # then nothing reaches the broker before the commit
        assert memory_broker() == []
    # when the transaction commits
    assert len(callbacks) == 1
    callbacks[0]()
    # then one delivery is queued for the row, with arguments that survive JSON
    assert memory_broker() == [("tickets.tasks.notification_deliver", [row.pk])]


@pytest.mark.django_db
def test_a_queued_delivery_round_trips_through_json_and_sends(case, memory_broker):
    # given a notification's delivery task as the broker carries it (JSON)
    [row] = notify(customer=case.customer, event="case_received", key="k2", case=case)
    notification_deliver.delay(row.pk)
    [(task, args)] = memory_broker()
    # when a worker runs it with the decoded arguments
    result = celery_app.tasks[task](*args)
    # then the notification is sent
    assert result == "sent"
    assert Notification.objects.get(pk=row.pk).status == SENT
    assert [m.to for m in mail.outbox] == [[case.customer.email]]


@pytest.mark.django_db
def test_retrying_a_failed_row_resets_it_and_queues_it_after_commit(
    memory_broker, django_capture_on_commit_callbacks, agent_user
):
    # given a failed row
    row = NotificationFactory(status=FAILED, attempts=8, last_error="SMTP 550 no such user")
    # when an agent retries it
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retried = redelivery.notification_retry(notification=row, actor=agent_user)
        assert memory_broker() == []
    # then it has a fresh set of attempts and is queued once the retry commits
    assert len(callbacks) == 1
    assert (retried.status, retried.attempts, retried.claimed_until) == (PENDING, 0, None)
    assert memory_broker() == [("tickets.tasks.notification_deliver", [row.pk])]
    # and the row and the case's timeline say who sent it again, under the same Message-ID
    assert (retried.retried_by, retried.message_id) == (agent_user, row.message_id)
    [event] = CaseEvent.objects.filter(case=row.case, verb=Verb.NOTIFICATION_RETRIED)
    assert event.actor == agent_user
    assert event.data["previous"] == FAILED
    assert event.data["message_id"] == row.message_id


@pytest.mark.django_db
def test_retrying_a_row_that_has_not_failed_changes_nothing(
    agent_user, django_capture_on_commit_callbacks
):
    # given a pending and a sent row
    for status in (PENDING, SENT):
        row = NotificationFactory(status=status, attempts=1)
        # when an agent retries it
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            retried = redelivery.notification_retry(notification=row, actor=agent_user)
        # then nothing changed, nothing is queued and nothing recorded
        assert (retried.status, retried.attempts, retried.retried_by) == (status, 1, None)
        assert callbacks == []
    assert not CaseEvent.objects.filter(verb=Verb.NOTIFICATION_RETRIED).exists()
