"""A mail server returning one of our notification emails for good (a delivery status
notification, RFC 3464) fails that notification, with the server's reason; a delay does not."""

from email import message_from_bytes, policy

import pytest

from tests.tickets.factories import NotificationFactory
from tests.tickets.inbound.conftest import receive
from tickets.inbound import parsing
from tickets.models import Notification

pytestmark = pytest.mark.django_db

DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: support@shop.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{n}@mx.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; nobody@example.com
Action: {action}
Status: {status}
Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.com>: Recipient address
 rejected: User unknown

--b1
Content-Type: {returned_type}

From: support@shop.example
Subject: Your case
Message-ID: {message_id}

--b1--
"""


def _dsn(message_id: str, *, action="failed", status="5.1.1", returned_type="text/rfc822-headers"):
    raw = DSN.format(
        n=abs(hash((message_id, action, returned_type))),
        action=action,
        status=status,
        returned_type=returned_type,
        message_id=message_id,
    )
    return message_from_bytes(raw.replace("\n", "\r\n").encode(), policy=policy.default)


@pytest.mark.parametrize("returned_type", ["text/rfc822-headers", "message/rfc822"])
def test_a_permanent_bounce_fails_the_notification_with_the_reason(returned_type):
    # given an email notification that went out
    notification = NotificationFactory()
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENT)
    # when its bounce comes back
    receipt = receive(_dsn(notification.message_id, returned_type=returned_type))
    # then the bounce reaches no case, and the notification shows why it failed
    notification.refresh_from_db()
    assert (receipt.outcome, receipt.reason) == ("ignored", "delivery_report")
    assert notification.status == Notification.Status.FAILED
    assert notification.last_error.startswith("Bounced after sending: 5.1.1")
    assert "User unknown" in notification.last_error


def test_a_delayed_delivery_report_changes_nothing():
    notification = NotificationFactory()
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENT)
    receive(_dsn(notification.message_id, action="delayed", status="4.4.7"))
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


def test_a_bounce_of_an_email_we_never_sent_changes_nothing():
    notification = NotificationFactory()
    receive(_dsn("<someone-else@mail.example.net>"))
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING


EXIM_BOUNCE = """\
From: Mail Delivery System <Mailer-Daemon@mx.example.org>
To: support@shop.example
Subject: Mail delivery failed: returning message to sender
Message-Id: <E1exim-{n}@mx.example.org>
X-Failed-Recipients: nobody@example.com
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  nobody@example.com
    SMTP error from remote mail server after RCPT TO:<nobody@example.com>:
    550 5.1.1 User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <support@shop.example>
Message-ID: {message_id}
From: support@shop.example
To: nobody@example.com
Subject: Your case

Your case is resolved.
"""


def _exim(message_id: str):
    raw = EXIM_BOUNCE.format(n=abs(hash(message_id)), message_id=message_id)
    return message_from_bytes(raw.replace("\n", "\r\n").encode(), policy=policy.default)


def test_a_non_standard_bounce_fails_the_notification_too():
    # given an email notification that went out
    notification = NotificationFactory()
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENT)
    # when Exim returns it in its own plain-text format (no RFC 3464 report)
    receipt = receive(_exim(notification.message_id))
    # then flufl.bounce's Exim detector finds the failure, and the quoted headers the email
    notification.refresh_from_db()
    assert (receipt.outcome, receipt.reason) == ("ignored", "mailer_daemon")
    assert notification.status == Notification.Status.FAILED
    assert notification.last_error == (
        "Bounced after sending: nobody@example.com: 550 5.1.1 User unknown"
    )


def test_a_bounce_detector_that_trips_fails_nothing_and_receives_the_email(monkeypatch):
    # given a bounce detector that raises on a strange message
    def trips(message):
        raise ValueError("unreadable")

    monkeypatch.setattr(parsing, "bounce_failures", trips)
    notification = NotificationFactory()
    Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.SENT)
    # when the bounce arrives
    receipt = receive(_dsn(notification.message_id))
    # then the email is still received (ignored), and the notification is left as it was
    assert receipt.outcome == "ignored"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
