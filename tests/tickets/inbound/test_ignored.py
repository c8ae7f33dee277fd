"""Machines' mail — auto-replies, bounces, lists, our own mail coming back — reaches no case and
sends nothing, so no reply loop can start; it is recorded as ignored."""

from email import message_from_bytes, policy

import pytest

from tests.tickets.factories import CaseFactory
from tests.tickets.inbound.conftest import email_message, receive, reply_to
from tickets.models import Case, Customer, InboundEmail, Message, Notification
from tickets.services.notifications import reply_address

pytestmark = pytest.mark.django_db

DSN = """\
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: reply+{token}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mx.example.org>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Your message could not be delivered to customer@example.com.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; customer@example.com
Action: failed
Status: 5.1.1

--b1
Content-Type: text/rfc822-headers

From: support@shop.example
Subject: Your case

--b1--
"""


def _nothing_written() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "messages": Message.objects.count(),
        "notifications": Notification.objects.count(),
        "customers": Customer.objects.count(),
    }


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, None, "auto_submitted"),
        ({"Auto-Submitted": "auto-generated; owner-email=it@example.com"}, None, "auto_submitted"),
        ({"Precedence": "bulk"}, None, "precedence"),
        ({"Precedence": "junk"}, None, "precedence"),
        ({"Precedence": "list"}, None, "precedence"),
        ({"X-Autoreply": "yes"}, None, "autoreply"),
        ({"X-Autorespond": "Out of office"}, None, "autoreply"),
        ({"X-Auto-Response-Suppress": "All"}, None, "autoreply"),
        ({"Return-Path": "<>"}, None, "null_sender"),
        ({}, "MAILER-DAEMON@mx.example.org", "mailer_daemon"),
        ({}, "Postmaster <postmaster@example.org>", "mailer_daemon"),
        ({"List-Id": "<offers.shop.example>"}, None, "mailing_list"),
        ({"X-Aftersales-Notification": "case_received:AS-1:email"}, None, "own_email"),
        ({}, "Shop Support <SUPPORT@shop.example>", "own_email"),
        ({}, "not an address", "no_sender"),
    ],
)
def test_machine_mail_is_ignored_even_with_a_valid_reply_token(headers, sender, reason):
    # given an open case and a machine's answer sent to its signed reply address
    case = CaseFactory(status=Case.Status.OPEN)
    before = _nothing_written()
    message = reply_to(case, headers=headers, **({"sender": sender} if sender else {}))
    # when it arrives
    receipt = receive(message)
    # then nothing reaches a case and nobody is notified
    assert (receipt.outcome, receipt.reason, receipt.case_number) == ("ignored", reason, None)
    assert _nothing_written() == before
    # and the email is on record as ignored, so a redelivery is a duplicate
    row = InboundEmail.objects.get()
    assert (row.outcome, row.reason, row.case, row.customer_message) == (
        "ignored",
        reason,
        None,
        None,
    )
    assert receive(message).outcome == "duplicate"


def test_an_unknown_autoresponder_opens_no_case():
    # given an out-of-office reply from an address nobody knows, to the plain support address
    message = email_message(
        sender="someone@example.org",
        subject="Automatic reply: Your case",
        headers={"Auto-Submitted": "auto-replied", "X-Autoreply": "yes"},
    )
    # when it arrives
    receipt = receive(message)
    # then no customer, no case, no acknowledgement
    assert receipt.outcome == "ignored"
    assert _nothing_written() == {"cases": 0, "messages": 0, "notifications": 0, "customers": 0}


def test_a_delivery_status_notification_is_ignored():
    # given a bounce (multipart/report) of a notification about a case
    case = CaseFactory(status=Case.Status.OPEN)
    token = reply_address(case).removeprefix("reply+")
    raw = DSN.format(token=token).replace("\n", "\r\n").encode()
    # when it arrives
    receipt = receive(message_from_bytes(raw, policy=policy.default))
    # then it is ignored as a delivery report
    assert (receipt.outcome, receipt.reason) == ("ignored", "delivery_report")
    assert case.messages.count() == 0


def test_auto_submitted_no_is_a_person_writing():
    # given a reply that says explicitly it was not automatic
    case = CaseFactory(status=Case.Status.OPEN)
    # when it arrives
    receipt = receive(reply_to(case, headers={"Auto-Submitted": "no"}))
    # then it is the customer's message
    assert receipt.outcome == "attached"
