"""Handing one outbox row to the provider: email by Django's mail backend (SMTP or an ESP
through anymail), SMS by the SMS backend. Every failure becomes a SendError that says whether
to try again and whether the message may have gone out all the same (unconfirmed)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from tickets.mail import UnconfirmedSend
from tickets.models import Notification
from tickets.services.notifications import reply_address
from tickets.sms import SMS, SMSError, get_backend


class SendError(Exception):
    """A send failed: `permanent` (never retried), or for now; `unconfirmed` when the message
    went out but no answer came, so it may have arrived."""

    def __init__(self, reason: str, *, permanent: bool, unconfirmed: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.unconfirmed = unconfirmed


def send_email(notification: Notification) -> str:
    """Send the email row; returns the provider's id for it. Raises SendError."""
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=notification.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient],
        reply_to=[reply_address(notification.case)] if notification.case else None,
        headers={
            # The same on every send of this row, so a receiver drops a repeat.
            "Message-ID": notification.message_id,
            "Auto-Submitted": "auto-generated",
            "X-Aftersales-Notification": notification.idempotency_key,
        },
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    try:
        message.send()
    except UnconfirmedSend as exc:
        reason = (
            f"The mail server did not confirm the message within EMAIL_TIMEOUT "
            f"({settings.EMAIL_TIMEOUT} s) after it was sent: {exc}"
        )
        raise SendError(reason, permanent=False, unconfirmed=True) from exc
    except smtplib.SMTPRecipientsRefused as exc:
        refusals = "; ".join(
            f"{address} (SMTP {code} {_text(reply)})"
            for address, (code, reply) in exc.recipients.items()
        )
        raise SendError(f"The mail server refused {refusals}", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        reason = f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
        raise SendError(reason, permanent=500 <= exc.smtp_code < 600) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"Mail server unreachable: {exc}", permanent=False) from exc
    # An ESP reached through anymail has its own id for the message; over SMTP ours is the id.
    status = getattr(message, "anymail_status", None)
    if status is not None and status.message_id is not None:
        return str(status.message_id)
    return notification.message_id


def _text(reply: bytes | str) -> str:
    """A server's reply as text for last_error, not as a bytes repr."""
    return reply.decode(errors="replace") if isinstance(reply, bytes) else reply


def sms_of(notification: Notification) -> SMS:
    """The text of the SMS row, as the backend sends (and finds) it."""
    return SMS(to=notification.recipient, body=notification.body)


def send_sms(notification: Notification) -> str:
    """Send the SMS row; returns the provider's id for it. Raises SendError."""
    try:
        return get_backend().send(sms_of(notification))
    except SMSError as exc:
        raise SendError(str(exc), permanent=exc.permanent, unconfirmed=exc.unconfirmed) from exc
