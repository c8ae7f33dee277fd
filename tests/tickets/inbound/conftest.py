"""Inbound email tests build real RFC 5322 messages with email.message.EmailMessage and feed
them to the service, the provider webhooks or the polled mailbox."""

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone

from tickets.models import Case
from tickets.services.inbound import Receipt, inbound_email_receive
from tickets.services.notifications import reply_address

REPLY_DOMAIN = "reply.shop.example"
SUPPORT = "Shop Support <support@shop.example>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _mail_settings(settings, media_root):
    settings.REPLY_DOMAIN = REPLY_DOMAIN
    settings.DEFAULT_FROM_EMAIL = SUPPORT
    settings.SERVER_EMAIL = SUPPORT


def email_message(
    *,
    sender: str,
    to: str = "support@shop.example",
    subject: str = "Question",
    body: str = "Hello, where is my parcel?",
    html: str | None = None,
    headers: dict[str, str] | None = None,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
    message_id: str | None = None,
) -> EmailMessage:
    """An email as a mail program writes it; attachments are (file name, type, content)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id != "":
        message["Message-ID"] = message_id or make_msgid(domain="mail.example.net")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for filename, content_type, content in attachments:
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def reply_to(case: Case, **kwargs) -> EmailMessage:
    """The customer's reply to a notification about `case`: sent to its reply address."""
    kwargs.setdefault("sender", f"{case.customer.name} <{case.customer.email}>")
    kwargs.setdefault("subject", f"Re: Your case {case.number}")
    return email_message(to=reply_address(case), **kwargs)


def receive(message: EmailMessage, source: str = "test") -> Receipt:
    """Deliver `message` as bytes on the wire would arrive: serialised, then parsed again."""
    parsed = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    return inbound_email_receive(message=parsed, source=source)
