"""SMS backends behind one small interface, chosen by settings.SMS_BACKEND (a dotted path),
the way Django chooses its email backend. Providers (Twilio) plug in here."""

import json
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SMSError(Exception):
    """The provider refused (`permanent`: a bad number, never retried) or failed for now."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


@dataclass(frozen=True)
class SMS:
    to: str
    body: str


class BaseBackend:
    def send(self, sms: SMS) -> str:
        """Hand `sms` to the provider; returns the provider's message id."""
        raise NotImplementedError


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


class LocMemBackend(BaseBackend):
    """Tests: keeps every message in LocMemBackend.outbox."""

    outbox: ClassVar[list[SMS]] = []

    def send(self, sms: SMS) -> str:
        self.outbox.append(sms)
        return f"locmem-{len(self.outbox)}"


class TwilioBackend(BaseBackend):
    """Twilio's Messages API, with TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM
    (a number or a messaging service SID, MG…)."""

    def __init__(self) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        self.client = Client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            http_client=TwilioHttpClient(timeout=30),
        )
        if settings.TWILIO_API_BASE_URL:
            self.client.api.base_url = settings.TWILIO_API_BASE_URL

    def send(self, sms: SMS) -> str:
        from twilio.base.exceptions import (
            TwilioException,
            TwilioRestException,
            TwilioServiceException,
        )

        sender = settings.TWILIO_FROM
        origin = {"messaging_service_sid": sender} if sender.startswith("MG") else {"from_": sender}
        try:
            message = self.client.messages.create(to=sms.to, body=sms.body, **origin)
        except TwilioRestException as exc:
            raise _refused(exc.status, exc.code, exc.msg) from exc
        except TwilioServiceException as exc:
            # Twilio's newer RFC 9457 error shape: an HTTP answer like the one above, not an
            # unreachable server.
            raise _refused(exc.status, exc.code, exc.detail or exc.title) from exc
        except (TwilioException, OSError) as exc:
            raise SMSError(f"Twilio unreachable: {exc}", permanent=False) from exc
        return message.sid


def _refused(status: int, code: int | None, message: str) -> SMSError:
    # 4xx but 429 means this request will never work (bad number, unsubscribed);
    # 429 and 5xx are worth another try.
    permanent = 400 <= status < 500 and status != 429
    return SMSError(f"Twilio {status} ({code}): {message}", permanent=permanent)


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()
