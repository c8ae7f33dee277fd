"""An SMS Notification delivered end to end: notification_deliver → TwilioBackend → the local
Twilio server (see conftest), and what each answer leaves on the row."""

import pytest
from django.utils import timezone

from tests.tickets.factories import CaseFactory, CustomerFactory, NotificationFactory
from tests.tickets.sms.conftest import ACCOUNT_SID, AUTH_TOKEN, twilio_error
from tickets.models import Notification
from tickets.services.delivery import notification_deliver
from tickets.services.notifications import notify

pytestmark = pytest.mark.django_db
S = Notification.Status


def test_notify_writes_an_sms_that_twilio_accepts(
    twilio_settings, fake_twilio, settings, django_capture_on_commit_callbacks
):
    # given a customer who agreed to SMS, and quiet hours that never start (24:00 to 0:00)
    settings.SMS_QUIET_HOURS = (24, 0)
    customer = CustomerFactory(sms_consent=True, phone="+4915112345678", language="en")
    case = CaseFactory(customer=customer, language="en")
    # when notify() writes the rows and the transaction commits (tasks run eagerly)
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(customer=customer, event="case_received", key=case.number, case=case)
    # then the SMS row went to Twilio and carries Twilio's SID
    sms = next(row for row in rows if row.channel == Notification.Channel.SMS)
    sms.refresh_from_db()
    assert sms.status == S.SENT
    assert sms.provider_id.startswith("SM")
    assert sms.sent_at is not None
    assert sms.attempts == 1
    (request,) = fake_twilio.received
    assert request.basic_auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.form["To"] == "+4915112345678"
    assert request.form["Body"] == sms.body
    assert case.number in request.form["Body"]


def test_an_sms_row_is_marked_sent_with_the_provider_id(twilio_settings, fake_twilio):
    # given a pending SMS in the outbox
    notification = NotificationFactory(sms=True)
    # when a worker delivers it
    outcome = notification_deliver(notification_id=notification.pk)
    # then it is sent once, with Twilio's SID
    notification.refresh_from_db()
    assert outcome.status == "sent"
    assert (notification.status, notification.last_error) == (S.SENT, "")
    assert notification.provider_id == f"SM{1:032x}"
    assert notification.claimed_until is None
    assert len(fake_twilio.received) == 1
    # and delivering it again sends nothing more
    assert notification_deliver(notification_id=notification.pk).status == "skipped"
    assert len(fake_twilio.received) == 1


def test_an_invalid_number_fails_the_row_with_a_readable_reason(twilio_settings, fake_twilio):
    # given Twilio will refuse the number as invalid (21211)
    fake_twilio.reply(
        400, twilio_error(400, 21211, "The 'To' number +4915 is not a valid phone number.")
    )
    notification = NotificationFactory(sms=True)
    # when a worker delivers it
    outcome = notification_deliver(notification_id=notification.pk)
    # then it fails for good, saying why
    notification.refresh_from_db()
    assert outcome.status == "failed"
    assert notification.status == S.FAILED
    assert notification.last_error.startswith("Twilio 400 (21211):")
    assert "is not a valid phone number" in notification.last_error
    assert notification.provider_id == ""
    assert notification.claimed_until is None


@pytest.mark.parametrize("status", [429, 500])
def test_a_transient_answer_leaves_the_row_pending_for_later(twilio_settings, fake_twilio, status):
    # given Twilio is rate limiting or failing for now
    fake_twilio.reply(status, twilio_error(status, 20429, "Too Many Requests"))
    notification = NotificationFactory(sms=True)
    before = timezone.now()
    # when a worker delivers it
    outcome = notification_deliver(notification_id=notification.pk)
    # then it stays pending, due again a little later
    notification.refresh_from_db()
    assert outcome.status == "retry"
    assert outcome.retry_in is not None
    assert notification.status == S.PENDING
    assert notification.next_attempt_at > before
    assert f"Twilio {status}" in notification.last_error
    assert (notification.attempts, notification.claimed_until) == (1, None)


def test_an_unreachable_twilio_leaves_the_row_pending(twilio_unreachable):
    notification = NotificationFactory(sms=True)
    before = timezone.now()
    outcome = notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert outcome.status == "retry"
    assert notification.status == S.PENDING
    assert notification.next_attempt_at > before
    assert "Twilio unreachable" in notification.last_error
