"""SMS backends behind one small interface, chosen by settings.SMS_BACKEND (a dotted path),
the way Django chooses its email backend. Providers (Twilio) plug in here."""

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SMSError(Exception):
    """The provider refused (`permanent`: a bad number, never retried) or failed for now.
    `unconfirmed`: the request went out but no answer came, so the text may have been sent;
    it must be looked up (BaseBackend.find) before it is sent again."""

    def __init__(self, reason: str, *, permanent: bool, unconfirmed: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.unconfirmed = unconfirmed


@dataclass(frozen=True)
class SMS:
    to: str
    body: str


class BaseBackend:
    def send(self, sms: SMS) -> str:
        """Hand `sms` to the provider; returns the provider's message id."""
        raise NotImplementedError

    def find(self, sms: SMS, *, since: datetime) -> list[str]:
        """The ids of messages the provider holds with `sms`'s recipient and text, created
        since `since`. Raises SMSError when the provider cannot tell (then a person decides)."""
        raise SMSError("This SMS backend cannot look up sent messages.", permanent=False)


class FileBackend(BaseBackend):
    """Embedded mode: appends each message as a JSON line to a file under SMS_FILE_PATH."""

    _lock = threading.Lock()

    def send(self, sms: SMS) -> str:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        provider_id = f"local-{secrets.token_hex(8)}"
        line = {"id": provider_id, "to": sms.to, "body": sms.body, "at": timezone.now().isoformat()}
        with self._lock, (folder / "outbox.jsonl").open("a", encoding="utf-8") as out:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return provider_id

    def find(self, sms: SMS, *, since: datetime) -> list[str]:
        path = Path(settings.SMS_FILE_PATH) / "outbox.jsonl"
        if not path.exists():
            return []
        found = []
        with self._lock, path.open(encoding="utf-8") as lines:
            for line in lines:
                sent = json.loads(line)
                if (sent["to"], sent["body"]) == (sms.to, sms.body) and (
                    datetime.fromisoformat(sent["at"]) >= since
                ):
                    found.append(sent["id"])
        return found


class LocMemBackend(BaseBackend):
    """Tests: keeps every message in LocMemBackend.outbox."""

    outbox: ClassVar[list[SMS]] = []

    def send(self, sms: SMS) -> str:
        self.outbox.append(sms)
        return f"locmem-{len(self.outbox)}"

    def find(self, sms: SMS, *, since: datetime) -> list[str]:
        return [f"locmem-{n}" for n, sent in enumerate(self.outbox, start=1) if sent == sms]


class TwilioBackend(BaseBackend):
    """Twilio's Messages API, with TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM
    (a number or a messaging service SID, MG…)."""

    def __init__(self) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=settings.TWILIO_TIMEOUT),
        )
        if settings.TWILIO_API_BASE_URL:
            self.client.api.base_url = settings.TWILIO_API_BASE_URL

    def send(self, sms: SMS) -> str:
        sender = settings.TWILIO_FROM
        origin = {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        with _twilio_errors(request_sent_matters=True):
            message = self.client.messages.create(to=sms.to, body=sms.body, **origin)
        return str(message.sid)

    def find(self, sms: SMS, *, since: datetime) -> list[str]:
        """Twilio's Messages list, filtered by To and DateSent (from `since`'s day, the
        granularity Twilio documents), then by text and creation time here."""
        with _twilio_errors(request_sent_matters=False):
            messages = self.client.messages.list(
                to=sms.to, date_sent_after=f"{since.astimezone(UTC):%Y-%m-%d}", limit=100
            )
        return [
            str(message.sid)
            for message in messages
            if message.body == sms.body
            and str(message.direction or "").startswith("outbound")
            and (message.date_created is None or message.date_created >= since)
        ]


@contextmanager
def _twilio_errors(*, request_sent_matters: bool) -> Iterator[None]:
    """Twilio's and the network's exceptions as SMSError. With `request_sent_matters`, a
    request that went out without an answer (a read timeout, a connection dropped while
    waiting) is `unconfirmed`: Twilio may have taken it."""
    from requests.exceptions import ConnectionError as RequestsConnectionError
    from requests.exceptions import ReadTimeout
    from twilio.base.exceptions import (
        TwilioException,
        TwilioRestException,
        TwilioServiceException,
    )
    from urllib3.exceptions import ProtocolError

    try:
        yield
    except TwilioRestException as exc:
        raise _refused(exc.status, exc.code, exc.msg) from exc
    except TwilioServiceException as exc:
        # Twilio's newer RFC 9457 error shape: an HTTP answer like the one above, not an
        # unreachable server.
        raise _refused(exc.status, exc.code, exc.detail or exc.title) from exc
    except ReadTimeout as exc:
        raise SMSError(
            f"Twilio did not answer within {settings.TWILIO_TIMEOUT} s: {exc}",
            permanent=False,
            unconfirmed=request_sent_matters,
        ) from exc
    except RequestsConnectionError as exc:
        # A connection dropped after it was made (not refused, not timed out connecting):
        # the request may have been read.
        dropped = bool(exc.args) and isinstance(exc.args[0], ProtocolError)
        raise SMSError(
            f"Twilio unreachable: {exc}",
            permanent=False,
            unconfirmed=request_sent_matters and dropped,
        ) from exc
    except (TwilioException, OSError) as exc:
        raise SMSError(f"Twilio unreachable: {exc}", permanent=False) from exc


def _refused(status: int, code: int | None, message: str) -> SMSError:
    # 4xx but 429 means this request will never work (bad number, unsubscribed);
    # 429 and 5xx are worth another try.
    permanent = 400 <= status < 500 and status != 429
    return SMSError(f"Twilio {status} ({code}): {message}", permanent=permanent)


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()
