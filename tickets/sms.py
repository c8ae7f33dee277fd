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


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()
