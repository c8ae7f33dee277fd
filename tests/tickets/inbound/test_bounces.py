"""A mail server returning one of our notification emails for good (a delivery status
notification, RFC 3464) fails that notification, with the server's reason; a delay does not."""

from email import message_from_bytes, policy

import pytest

from tests.tickets.factories import NotificationFactory
from tests.tickets.inbound.conftest import receive
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
