"""Django's SMTP email backend, telling an unanswered message from an undelivered one.

A mail server that takes a message and answers only after EMAIL_TIMEOUT may well have queued
it: the reply to the end of DATA is what says "accepted". Django's backend reports that case
like any lost connection, and a blind retry then delivers the message twice. This backend
raises UnconfirmedSend when the connection fails after the whole message went out, so delivery
knows the message may have arrived (it resends with the same Message-ID and says so)."""

import smtplib

from django.core.mail.backends import smtp


class UnconfirmedSend(smtplib.SMTPException):
    """The message went out in full but the server's answer never came."""


class _ReportsUnconfirmed(smtplib.SMTP):
    _message_sent = False

    def send(self, s: bytes | str) -> None:
        super().send(s)
        # data() sends the message with its terminating "<CRLF>.<CRLF>" in one call; commands
        # never end that way.
        self._message_sent = isinstance(s, bytes) and s.endswith(b"\r\n.\r\n")

    def data(self, msg: bytes | str) -> tuple[int, bytes]:
        self._message_sent = False
        try:
            return super().data(msg)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            if self._message_sent and not isinstance(exc, smtplib.SMTPResponseException):
                raise UnconfirmedSend(f"no answer after the message was sent: {exc}") from exc
            raise


class _SMTP_SSL(_ReportsUnconfirmed, smtplib.SMTP_SSL):  # noqa: N801
    pass


class EmailBackend(smtp.EmailBackend):
    """smtp.EmailBackend whose connection raises UnconfirmedSend (see the module)."""

    @property
    def connection_class(self) -> type[smtplib.SMTP]:
        return _SMTP_SSL if self.use_ssl else _ReportsUnconfirmed
