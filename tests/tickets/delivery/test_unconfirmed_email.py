"""A mail server that answers after EMAIL_TIMEOUT may have the message: delivery resends it
under the same Message-ID (a receiving server drops the repeat) and says so on the case's
timeline. Against a real SMTP server on 127.0.0.1 (aiosmtpd, see harness.py)."""

import smtplib
from datetime import timedelta

import pytest
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from tests.tickets.delivery.harness import Mailbox, SmtpServer
from tests.tickets.factories import NotificationFactory
from tickets.mail import UnconfirmedSend
from tickets.models import CaseEvent, Notification
from tickets.services import delivery
from tickets.services.timeline import Verb

pytestmark = pytest.mark.django_db

S = Notification.Status


@pytest.fixture
def smtp(settings):
    """An SMTP server on 127.0.0.1 that the SMTP backend sends to, with a 1-second timeout."""
    mailbox = Mailbox()
    server = SmtpServer(mailbox)
    server.start()
    settings.EMAIL_BACKEND = "tickets.mail.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    yield server
    server.stop()


def _send() -> None:
    EmailMessage(
        "Hi", "Hello", "a@example.com", ["b@example.com"], connection=get_connection()
    ).send()


# --- the backend ------------------------------------------------------------------------------


def test_the_backend_reports_a_message_the_server_took_without_answering(smtp):
    # given a server that answers the end of DATA only after the client's timeout
    smtp.mailbox.data_answer_after = 2
    # when a message is sent
    with pytest.raises(UnconfirmedSend):
        _send()
    # then the server has it all the same
    assert smtp.mailbox.accepted == 1


def test_a_server_silent_before_the_message_went_out_is_not_unconfirmed(smtp):
    # given a server that answers RCPT only after the timeout
    smtp.mailbox.rcpt_answer_after = 2
    # when a message is sent, the failure is an ordinary lost connection
    with pytest.raises(smtplib.SMTPServerDisconnected) as error:
        _send()
    assert not isinstance(error.value, UnconfirmedSend)
    assert smtp.mailbox.accepted == 0


def test_a_server_refusing_the_message_is_not_unconfirmed(smtp):
    smtp.mailbox.refused_domains = {"example.com"}
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        _send()


# --- delivery -------------------------------------------------------------------------------


def test_a_slow_server_gets_the_email_again_under_the_same_message_id_and_the_timeline_says_so(
    smtp, time_machine
):
    # given a notification, and a mail server that answers only after EMAIL_TIMEOUT
    row = NotificationFactory()
    smtp.mailbox.data_answer_after = 2
    # when a worker delivers it
    outcome = delivery.notification_deliver(notification_id=row.pk)
    # then the server has it, but the row stays pending for a retry, marked unconfirmed
    assert outcome.status == "retry"
    assert smtp.mailbox.copies[row.message_id] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_until) == (S.PENDING, 1, None)
    assert row.unconfirmed_at is not None
    assert "did not confirm the message within EMAIL_TIMEOUT (1 s)" in row.last_error
    # and the case's timeline says it goes again under the same Message-ID
    [event] = CaseEvent.objects.filter(case=row.case, verb=Verb.NOTIFICATION_UNCONFIRMED)
    assert event.data["next"] == "resend_same_message_id"
    assert event.data["message_id"] == row.message_id
    assert event.actor is None
    # when the server answers in time again and the retry is due
    smtp.mailbox.data_answer_after = 0
    time_machine.move_to(timezone.now() + timedelta(minutes=2))
    assert delivery.notification_deliver(notification_id=row.pk).status == "sent"
    # then the second copy carries the same Message-ID, and the row is sent, confirmed
    assert smtp.mailbox.copies == {row.message_id: 2}
    assert smtp.mailbox.message_ids[row.idempotency_key] == {row.message_id}
    row.refresh_from_db()
    assert (row.status, row.unconfirmed_at, row.last_error) == (S.SENT, None, "")


def test_an_email_unconfirmed_at_its_last_attempt_fails(smtp, settings):
    # given a row at its last attempt and a slow server
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    row = NotificationFactory()
    smtp.mailbox.data_answer_after = 2
    # then it gives up, with the reason
    assert delivery.notification_deliver(notification_id=row.pk).status == "failed"
    row.refresh_from_db()
    assert row.status == S.FAILED
    assert "EMAIL_TIMEOUT" in row.last_error
