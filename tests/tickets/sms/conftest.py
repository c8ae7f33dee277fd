"""A local stand-in for Twilio's Messages API: a real HTTP server on 127.0.0.1 that the real
twilio client talks to (TWILIO_API_BASE_URL points at it), so only the network hop is faked."""

import base64
import json
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-twilio-token"
FROM = "+15005550006"
MESSAGES_PATH = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    form: dict[str, str]

    @property
    def basic_auth(self) -> tuple[str, str]:
        scheme, _, encoded = self.headers.get("Authorization", "").partition(" ")
        assert scheme == "Basic"
        user, _, password = base64.b64decode(encoded).decode().partition(":")
        return user, password


def message_resource(form: dict[str, str], sid: str) -> dict:
    """A message resource as Twilio answers a create (API reference, Message resource)."""
    now = format_datetime(timezone.now(), usegmt=True)
    uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}"
    return {
        "account_sid": ACCOUNT_SID,
        "api_version": "2010-04-01",
        "body": form.get("Body", ""),
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": form.get("From"),
        "messaging_service_sid": form.get("MessagingServiceSid"),
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": sid,
        "status": "queued",
        "subresource_uris": {"media": f"{uri}/Media.json"},
        "to": form.get("To"),
        "uri": f"{uri}.json",
    }


def twilio_error(status: int, code: int, message: str) -> dict:
    """Twilio's error body (the REST API's legacy, non-RFC-9457 shape the Messages API uses)."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@dataclass
class FakeTwilio:
    """What the server saw (`received`) and what it answers next (`reply`; default 201)."""

    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    replies: deque = field(default_factory=deque)

    def reply(self, status: int, body: dict | str) -> None:
        self.replies.append((status, body))


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {name: values[-1] for name, values in parse_qs(raw).items()}
            fake.received.append(Received(self.path, dict(self.headers.items()), form))
            if self.path != MESSAGES_PATH:
                status, body = 404, twilio_error(404, 20404, "The requested resource was not found")
            elif fake.replies:
                status, body = fake.replies.popleft()
            else:
                sid = f"SM{len(fake.received):032x}"
                status, body = 201, message_resource(form, sid)
            payload = (body if isinstance(body, str) else json.dumps(body)).encode()
            self.send_response(status)
            content_type = "text/html" if isinstance(body, str) else "application/json"
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def twilio_settings(settings, fake_twilio, monkeypatch):
    """SMS goes through TwilioBackend to the fake server."""
    # requests honours *_PROXY variables; the fake server must be reached directly.
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    settings.SMS_BACKEND = "tickets.sms.TwilioBackend"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_FROM = FROM
    settings.TWILIO_API_BASE_URL = fake_twilio.base_url
    return settings


@pytest.fixture
def twilio_unreachable(twilio_settings):
    """Twilio's address refuses connections (nothing listens on the port)."""
    twilio_settings.TWILIO_API_BASE_URL = f"http://127.0.0.1:{_closed_port()}"
    return twilio_settings
