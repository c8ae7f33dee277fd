"""A local stand-in for Twilio's Messages API: a real HTTP server on 127.0.0.1 that the real
twilio client talks to (TWILIO_API_BASE_URL points at it), so only the network hop is faked.
It keeps the messages it created and lists them (GET, filtered by To and DateSent), and can be
slow: answer a create only after the client gave up, with or without having created it."""

import base64
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

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
    method: str = "POST"

    @property
    def basic_auth(self) -> tuple[str, str]:
        scheme, _, encoded = self.headers.get("Authorization", "").partition(" ")
        assert scheme == "Basic"
        user, _, password = base64.b64decode(encoded).decode().partition(":")
        return user, password


def message_resource(form: dict[str, str], sid: str) -> dict:
    """A message resource as Twilio answers a create (API reference, Message resource); the
    fake keeps `sent_day` beside it to filter its list by."""
    moment = timezone.now()
    now = format_datetime(moment, usegmt=True)
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
        "sent_day": f"{moment.astimezone(UTC):%Y-%m-%d}",
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
    """What the server saw (`received`), the messages it created (`messages`), and what it
    answers next (`reply`; default 201)."""

    base_url: str = ""
    received: list[Received] = field(default_factory=list)
    replies: deque = field(default_factory=deque)
    messages: list[dict] = field(default_factory=list)
    # Seconds to wait before answering a create (the message is created first, as a slow
    # Twilio would), or a list; a client with a shorter timeout gets no answer.
    create_delay: float = 0
    list_delay: float = 0
    # The next create is lost: no answer and no message.
    lose_next_create: bool = False

    def reply(self, status: int, body: dict | str) -> None:
        self.replies.append((status, body))

    @property
    def creates(self) -> list[Received]:
        return [request for request in self.received if request.method == "POST"]

    @property
    def lists(self) -> list[Received]:
        return [request for request in self.received if request.method == "GET"]


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            form = {name: values[-1] for name, values in parse_qs(raw).items()}
            fake.received.append(Received(self.path, dict(self.headers.items()), form))
            if self.path != MESSAGES_PATH:
                status, body = 404, twilio_error(404, 20404, "The requested resource was not found")
            elif fake.lose_next_create:
                fake.lose_next_create = False
                time.sleep(fake.create_delay)
                return
            elif fake.replies:
                status, body = fake.replies.popleft()
            else:
                sid = f"SM{len(fake.received):032x}"
                status, body = 201, message_resource(form, sid)
                fake.messages.append(body)
                time.sleep(fake.create_delay)
            self._answer(status, body)

        def do_GET(self) -> None:  # noqa: N802
            url = urlsplit(self.path)
            query = {name: values[-1] for name, values in parse_qs(url.query).items()}
            fake.received.append(Received(url.path, dict(self.headers.items()), query, "GET"))
            if url.path != MESSAGES_PATH:
                self._answer(404, twilio_error(404, 20404, "The requested resource was not found"))
                return
            time.sleep(fake.list_delay)
            # DateSent>=YYYY-MM-DD, as Twilio documents it: messages sent on or after that day.
            day = query.get("DateSent>", "")
            found = [
                message
                for message in fake.messages
                if message["to"] == query.get("To", message["to"])
                and (not day or message["sent_day"] >= day)
            ]
            self._answer(200, message_page(found))

        def _answer(self, status: int, body: dict | str) -> None:
            if isinstance(body, dict):
                body = {key: value for key, value in body.items() if key != "sent_day"}
            payload = (body if isinstance(body, str) else json.dumps(body)).encode()
            try:
                self.send_response(status)
                content_type = "text/html" if isinstance(body, str) else "application/json"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


def message_page(messages: list[dict]) -> dict:
    """A page of Twilio's Messages list."""
    uri = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json?PageSize=50&Page=0"
    return {
        "messages": messages,
        "end": max(len(messages) - 1, 0),
        "first_page_uri": uri,
        "next_page_uri": None,
        "page": 0,
        "page_size": 50,
        "previous_page_uri": None,
        "start": 0,
        "uri": uri,
    }


@pytest.fixture(autouse=True)
def _afternoon(daytime):
    """Texts here go out at once: a Berlin afternoon, whatever TEST_NOW says. A test of the
    quiet hours moves the clock itself."""


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
