"""SMS quiet hours hold when a text goes out, not only when its row is written: a retry, the
"Send again" button and rows that fell behind wait for the customer's morning, and waiting is
not an attempt. Email is never held."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from tests.tickets.factories import NotificationFactory
from tickets.models import Notification
from tickets.services import delivery, redelivery

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
S = Notification.Status


def _berlin(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN)


def test_a_text_due_in_the_night_waits_for_the_morning_without_an_attempt(time_machine, sms_outbox):
    # given a text that fell behind: due since 20:55, and a worker reaching it at 03:00
    time_machine.move_to(_berlin(5, 3))
    row = NotificationFactory(sms=True, next_attempt_at=_berlin(4, 20, 55))
    # when the worker delivers it
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then nothing is sent, no attempt is used, and it is due at 08:00 the customer's time
    assert outcome == delivery.Outcome("deferred", None)
    assert sms_outbox == []
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == (S.PENDING, 0, None)
    assert row.next_attempt_at == _berlin(5, 8)
    assert row.enqueued_at is None
    # and when the morning comes, the sweeper finds it and it goes out, as its first attempt
    time_machine.move_to(_berlin(5, 8, 2))
    assert redelivery.notifications_sweep() == [row.pk]
    assert delivery.notification_deliver(notification_id=row.pk).status == "sent"
    assert len(sms_outbox) == 1
    assert Notification.objects.get(pk=row.pk).attempts == 1


def test_a_retry_due_just_before_the_end_of_the_night_is_queued_with_a_countdown(
    time_machine, sms_outbox
):
    # given a text whose retry comes due at 07:57
    time_machine.move_to(_berlin(5, 7, 57))
    row = NotificationFactory(sms=True, attempts=2, next_attempt_at=_berlin(5, 7, 56))
    # when the worker runs it
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then it is put off by the three minutes to 08:00, not left to the sweeper
    assert outcome.status == "deferred"
    assert timedelta(minutes=2) < outcome.retry_in <= timedelta(minutes=3)
    assert Notification.objects.get(pk=row.pk).attempts == 2


def test_a_text_in_the_day_goes_at_once(time_machine, sms_outbox):
    time_machine.move_to(_berlin(5, 8, 0))
    row = NotificationFactory(sms=True)
    assert delivery.notification_deliver(notification_id=row.pk).status == "sent"
    assert len(sms_outbox) == 1


def test_the_quiet_hours_follow_the_customers_time_zone(time_machine, sms_outbox):
    # given 03:00 in Berlin, which is 10:00 in Tokyo, and a text to a customer in Tokyo
    time_machine.move_to(_berlin(5, 3))
    row = NotificationFactory(sms=True, case__customer__timezone="Asia/Tokyo")
    # then it goes at once
    assert delivery.notification_deliver(notification_id=row.pk).status == "sent"


def test_email_goes_out_in_the_night(time_machine):
    time_machine.move_to(_berlin(5, 3))
    row = NotificationFactory()
    assert delivery.notification_deliver(notification_id=row.pk).status == "sent"
    assert len(mail.outbox) == 1


def test_send_again_at_night_waits_for_the_morning_and_queues_nothing_now(
    time_machine, agent_user, django_capture_on_commit_callbacks, sms_outbox
):
    # given a failed text, and an agent pressing "Send again" at 23:30 the customer's time
    time_machine.move_to(_berlin(4, 23, 30))
    row = NotificationFactory(sms=True, status=S.FAILED, attempts=8)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retried = redelivery.notification_retry(notification=row, actor=agent_user)
    # then it is pending with fresh attempts, due at 08:00, and not queued before then
    assert (retried.status, retried.attempts) == (S.PENDING, 0)
    assert retried.next_attempt_at == _berlin(5, 8)
    assert callbacks == []
    assert sms_outbox == []
    # and a delivery task that runs anyway (a stray duplicate) still sends nothing
    assert delivery.notification_deliver(notification_id=row.pk).status == "skipped"
    assert timezone.now() < retried.next_attempt_at


def test_send_again_at_night_is_said_on_the_page(time_machine, client, agent_user, sms_outbox):
    # given a failed text, and an agent pressing "Send again" at 23:30 the customer's time
    time_machine.move_to(_berlin(4, 23, 30))
    client.force_login(agent_user)
    row = NotificationFactory(sms=True, status=S.FAILED, attempts=8)
    response = client.post(f"/agent/notifications/{row.pk}/retry/", follow=True)
    # then the page says when it goes out
    assert response.status_code == 200
    assert "quiet hours" in response.content.decode()
    assert "08:00" in response.content.decode()
