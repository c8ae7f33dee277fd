"""The served application (aftersales.wsgi): provider webhooks go through Django without the
browser's middleware, every other request through all of it. The test client has its own
handler with the whole middleware, so these requests go through the real one."""

import hashlib
import hmac
import json
import os
import subprocess
import sys

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.utils import translation

from aftersales.wsgi import application
from shipments.models import TrackingDelivery

pytestmark = pytest.mark.django_db

SECRET = "wsgi-test-secret"
EASYPOST = "/webhooks/tracking/easypost/"


def served(path: str, *, method: str = "GET", body: bytes = b"", headers: dict | None = None):
    """(status, headers, body) of `path` answered by the served application."""
    environ = (
        RequestFactory()
        .generic(method, path, data=body, content_type="application/json", headers=headers)
        .environ
    )
    started = []
    # As the test client does: a request's start and end would close the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        chunks = application(environ, lambda status, heads: started.append((status, heads)))
        content = b"".join(chunks)
        chunks.close()
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)
    status, heads = started[0]
    return int(status.split()[0]), dict(heads), content


def tracker_event(number: str = "EZ1000000001") -> bytes:
    return json.dumps(
        {
            "object": "Event",
            "id": "evt_wsgi",
            "description": "tracker.updated",
            "result": {
                "object": "Tracker",
                "tracking_code": number,
                "carrier": "USPS",
                "status": "in_transit",
                "updated_at": "2026-07-15T10:00:00Z",
                "tracking_details": [],
            },
        }
    ).encode()


def signed(body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hmac-Signature": f"hmac-sha256-hex={digest}"}


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.EASYPOST_WEBHOOK_SECRET = SECRET


def test_a_signed_webhook_is_accepted_without_the_browser_middleware():
    body = tracker_event()
    status, headers, content = served(EASYPOST, method="POST", body=body, headers=signed(body))
    assert (status, json.loads(content)) == (200, {"outcome": "accepted"})
    assert TrackingDelivery.objects.get().body == body.decode()
    # no session cookie, no content security policy, no language negotiated: no middleware ran
    assert not {"Set-Cookie", "Content-Security-Policy", "Content-Language"} & set(headers)


def test_a_wrongly_signed_webhook_is_refused_in_the_default_language_whatever_came_before():
    # the worker's thread served a German page last
    translation.activate("de")
    try:
        status, _, content = served(
            EASYPOST, method="POST", body=tracker_event(), headers={"X-Hmac-Signature": "nope"}
        )
    finally:
        translation.deactivate()
    assert status == 401
    assert json.loads(content)["detail"] == "The X-Hmac-Signature signature is missing or wrong."
    assert not TrackingDelivery.objects.exists()


def test_a_get_on_a_webhook_is_a_json_405():
    status, headers, content = served(EASYPOST)
    assert (status, headers["Allow"]) == (405, "POST")
    assert json.loads(content)["code"] == "method_not_allowed"


def test_an_unknown_webhook_path_is_a_json_404():
    status, _, content = served("/webhooks/nowhere/", method="POST", body=b"{}")
    assert (status, json.loads(content)["code"]) == (404, "not_found")


def test_other_requests_go_through_the_whole_middleware():
    # the agent's dashboard asks who is signed in (sessions, authentication)…
    status, headers, _ = served("/agent/")
    assert status == 302 and "/login/" in headers["Location"]
    # …and a page carries the security headers
    status, headers, _ = served("/portal/")
    assert "Content-Security-Policy" in headers


def test_the_application_loads_its_urlconf_and_freezes_what_it_loaded():
    # A process of its own, as gunicorn's worker: requests start on a loaded URLconf, and a full
    # garbage collection during one scans only what requests made.
    code = (
        "import gc, sys; import aftersales.wsgi; "
        "print('tickets.urls' in sys.modules, gc.get_freeze_count() > 100_000)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aftersales.settings.test"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["True", "True"], out.stderr
