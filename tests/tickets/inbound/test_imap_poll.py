"""The polled mailbox: unseen mail is received oldest first and marked seen only after it is
stored; a crash between the two never adds an email twice. The IMAP server is off the
machine, so a small fake of imaplib's IMAP4_SSL stands in for it."""

import imaplib
import json

import pytest

from tests.tickets.factories import CaseFactory
from tests.tickets.inbound.conftest import PNG, email_message, reply_to
from tickets import tasks
from tickets.inbound.imap import MailboxUrlInvalid, mailbox_from_url
from tickets.models import Case, InboundEmail, Message
from tickets.services.inbound import inbound_mail_poll

pytestmark = pytest.mark.django_db

IMAP_URL = "imaps://support%40shop.example:p%40ss%2Fw0rd@imap.shop.example:993/Support"


class FakeServer:
    """The mailbox as the server keeps it: UID → [raw message, flags]."""

    def __init__(self) -> None:
        self.messages: dict[int, list] = {}
        self.logins: list[tuple[str, str]] = []
        self.selected: list[str] = []
        self.fail_store = False
        self.refuse_connection = False

    def deliver(self, message, *, seen: bool = False) -> int:
        uid = max(self.messages, default=100) + 1
        self.messages[uid] = [message.as_bytes(), {"\\Seen"} if seen else set()]
        return uid

    def unseen(self) -> list[int]:
        return [uid for uid, (_raw, flags) in self.messages.items() if "\\Seen" not in flags]


class FakeIMAP4SSL:
    """The part of imaplib.IMAP4_SSL the poll uses, answering as a real server does."""

    server: FakeServer

    def __init__(self, host, port, *, ssl_context=None, timeout=None):
        if self.server.refuse_connection:
            raise ConnectionRefusedError(111, "Connection refused")
        self.address = (host, port)

    def login(self, user, password):
        self.server.logins.append((user, password))
        return "OK", [b"LOGIN completed"]

    def select(self, folder):
        self.server.selected.append(folder)
        return "OK", [str(len(self.server.messages)).encode()]

    def uid(self, command, *args):
        if command == "SEARCH":
            assert args == ("UNSEEN",)
            return "OK", [" ".join(str(uid) for uid in self.server.unseen()).encode()]
        if command == "FETCH":
            uid, items = args
            assert items == "(BODY.PEEK[])"  # a plain BODY[] fetch would mark it seen
            raw, _flags = self.server.messages[int(uid)]
            return "OK", [(f"1 (UID {uid} BODY[] {{{len(raw)}}}".encode(), raw), b")"]
        if command == "STORE":
            uid, action, flags = args
            if self.server.fail_store:
                raise imaplib.IMAP4.abort("socket error: EOF")
            assert (action, flags) == ("+FLAGS", "(\\Seen)")
            self.server.messages[int(uid)][1].add("\\Seen")
            return "OK", [b"STORE completed"]
        raise AssertionError(f"unexpected UID {command}")

    def close(self):
        return "OK", [b""]

    def logout(self):
        return "BYE", [b""]


@pytest.fixture
def server(monkeypatch, settings):
    settings.IMAP_URL = IMAP_URL
    server = FakeServer()
    monkeypatch.setattr(FakeIMAP4SSL, "server", server, raising=False)
    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP4SSL)
    return server


def test_unseen_mail_is_received_and_marked_seen(server):
    # given a reply to a case, a stranger's email, and an email read before
    case = CaseFactory(status=Case.Status.OPEN)
    reply = server.deliver(reply_to(case, attachments=(("photo.png", "image/png", PNG),)))
    stranger = server.deliver(email_message(sender="new@example.org"))
    server.deliver(email_message(sender="old@example.org"), seen=True)
    # when the mailbox is polled
    handled = inbound_mail_poll()
    # then both unseen emails are received, and marked seen
    assert handled == 2
    assert case.messages.get().attachments.count() == 1
    assert Case.objects.filter(customer__email="new@example.org").count() == 1
    assert not Case.objects.filter(customer__email="old@example.org").exists()
    assert server.unseen() == []
    assert {reply, stranger} <= set(server.messages)
    # and the URL's percent-encoded credentials and folder were used
    assert server.logins == [("support@shop.example", "p@ss/w0rd")]
    assert server.selected == ['"Support"']
    assert set(InboundEmail.objects.values_list("source", flat=True)) == {"imap"}


def test_a_crash_before_marking_seen_never_adds_an_email_twice(server):
    # given an email that is stored, but the connection drops before it is marked seen
    case = CaseFactory(status=Case.Status.OPEN)
    server.deliver(reply_to(case, body="Once only."))
    server.fail_store = True
    inbound_mail_poll()
    assert server.unseen() != [] and case.messages.count() == 1
    # when the next poll finds it unseen again
    server.fail_store = False
    handled = inbound_mail_poll()
    # then it is recognised by its Message-ID and only marked seen
    assert handled == 1
    assert (case.messages.count(), InboundEmail.objects.count()) == (1, 1)
    assert server.unseen() == []


def test_an_email_that_fails_stays_unseen_and_the_others_go_on(server, settings, tmp_path):
    # given a photo that cannot be stored (the media folder is a file) and an email without files
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    settings.MEDIA_ROOT = blocked
    case = CaseFactory(status=Case.Status.OPEN)
    failing = server.deliver(reply_to(case, attachments=(("photo.png", "image/png", PNG),)))
    server.deliver(email_message(sender="plain@example.org"))
    # when the mailbox is polled
    handled = inbound_mail_poll()
    # then the failing email is left unseen with nothing half-written, the other is received
    assert handled == 1
    assert server.unseen() == [failing]
    assert case.messages.count() == 0
    assert InboundEmail.objects.get().sender == "plain@example.org"
    # and once storage works again the next poll takes it
    settings.MEDIA_ROOT = tmp_path / "media"
    assert inbound_mail_poll() == 1
    assert case.messages.get().attachments.count() == 1


def test_a_poll_takes_a_bounded_batch_oldest_first(server):
    # given three unseen emails
    uids = [server.deliver(email_message(sender=f"c{n}@example.org")) for n in range(3)]
    # when a poll with a batch of two runs
    handled = inbound_mail_poll(batch_size=2)
    # then the two oldest are taken and the newest waits for the next poll
    assert handled == 2
    assert server.unseen() == [uids[2]]


def test_machine_mail_in_the_mailbox_is_marked_seen_without_a_case(server):
    # given an out-of-office reply in the mailbox
    server.deliver(
        email_message(sender="away@example.org", headers={"Auto-Submitted": "auto-replied"})
    )
    # when the mailbox is polled
    inbound_mail_poll()
    # then it is done with: seen, recorded as ignored, no case
    assert server.unseen() == []
    assert InboundEmail.objects.get().outcome == "ignored"
    assert Case.objects.count() == 0


def test_an_unreachable_server_ends_the_poll_quietly(server, caplog):
    # given a server that refuses connections
    server.refuse_connection = True
    # when the poll runs
    handled = inbound_mail_poll()
    # then it handled nothing and said why
    assert handled == 0
    assert "Mailbox poll stopped" in caplog.text


def test_without_imap_url_there_is_no_polling(server, settings):
    # given no IMAP_URL and mail waiting
    settings.IMAP_URL = ""
    server.deliver(email_message(sender="c@example.org"))
    # when the poll runs
    # then it does not connect
    assert inbound_mail_poll() == 0
    assert server.logins == []


def test_the_task_polls_the_mailbox(server):
    # given an unseen email
    server.deliver(email_message(sender="task@example.org"))
    # when beat's task runs (no arguments; its result goes through JSON)
    result = tasks.inbound_mail_poll.delay()
    # then the email is received
    assert json.loads(json.dumps(result.get())) == 1
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (IMAP_URL, ("imap.shop.example", 993, "support@shop.example", "Support", True)),
        ("imaps://u:p@mail.example", ("mail.example", 993, "u", "INBOX", True)),
        (
            "imap://u:p@mail.example/Inbox/Support",
            ("mail.example", 143, "u", "Inbox/Support", False),
        ),
    ],
)
def test_mailbox_urls(url, expected):
    box = mailbox_from_url(url)
    assert (box.host, box.port, box.user, box.folder, box.tls) == expected
    assert "p@ss" not in repr(box) and ":p@" not in repr(box)


@pytest.mark.parametrize("url", ["pop3://u:p@mail.example", "imaps://mail.example", "imaps://"])
def test_a_mailbox_url_that_is_not_imap_is_refused(url):
    with pytest.raises(MailboxUrlInvalid):
        mailbox_from_url(url)
