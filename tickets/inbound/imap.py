"""The polled support mailbox, through imaplib: list unseen mail, read one message without
marking it, mark it seen once it is handled. Nothing here touches the database."""

import contextlib
import imaplib
import ssl
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import unquote, urlsplit

# A mail server that stops answering must not hold the worker until the task's time limit.
TIMEOUT_SECONDS = 30


class MailboxUrlInvalid(ValueError):
    pass


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str
    tls: bool  # imaps: TLS from the first byte; imap: STARTTLS before logging in

    def __repr__(self) -> str:  # never the password in a log line or a traceback
        return f"Mailbox({self.user}@{self.host}:{self.port}/{self.folder})"


def mailbox_from_url(url: str) -> Mailbox:
    """imaps://user:password@host:993/INBOX (or imap://…:143/…, which must offer STARTTLS) as
    a Mailbox; user and password percent-encoded. Raises MailboxUrlInvalid."""
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname or not parts.username:
        raise MailboxUrlInvalid("IMAP_URL must look like imaps://user:password@host:993/INBOX")
    tls = parts.scheme == "imaps"
    return Mailbox(
        host=parts.hostname,
        port=parts.port or (993 if tls else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=unquote(parts.path.lstrip("/")) or "INBOX",
        tls=tls,
    )


class MailboxClient:
    """A logged-in session on `mailbox`'s folder, as a context manager. Messages are named by
    UID, which stays valid across sessions (unlike sequence numbers)."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.connection: imaplib.IMAP4 | None = None

    def __enter__(self) -> "MailboxClient":
        box, context = self.mailbox, ssl.create_default_context()
        if box.tls:
            connection = imaplib.IMAP4_SSL(
                box.host, box.port, ssl_context=context, timeout=TIMEOUT_SECONDS
            )
        else:
            connection = imaplib.IMAP4(box.host, box.port, timeout=TIMEOUT_SECONDS)
            connection.starttls(ssl_context=context)
        self.connection = connection
        connection.login(box.user, box.password)
        status, data = connection.select(_quoted(box.folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"Cannot open folder {box.folder}: {data!r}")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.connection is None:
            return
        # The session is over either way; a server that does not answer drops it soon.
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self.connection.close()
            self.connection.logout()

    def _uid(self, command: str, *args: str) -> list:
        if self.connection is None:
            raise RuntimeError("MailboxClient is used outside its `with` block.")
        status, data = self.connection.uid(command, *args)
        if status != "OK":
            raise imaplib.IMAP4.error(f"UID {command} failed: {data!r}")
        return data

    def unseen(self, *, limit: int) -> list[str]:
        """UIDs of up to `limit` unseen messages, oldest first."""
        data = self._uid("SEARCH", "UNSEEN")
        uids = (data[0] or b"").split() if data else []
        return [uid.decode() for uid in sorted(uids, key=int)[:limit]]

    def fetch(self, uid: str) -> bytes | None:
        """The whole message, read with BODY.PEEK so that reading it does not mark it seen;
        None when it is gone (deleted by someone else meanwhile)."""
        data = self._uid("FETCH", uid, "(BODY.PEEK[])")
        return next((item[1] for item in data if isinstance(item, tuple) and len(item) > 1), None)

    def mark_seen(self, uid: str) -> None:
        self._uid("STORE", uid, "+FLAGS", "(\\Seen)")


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
