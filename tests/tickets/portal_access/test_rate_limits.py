"""At most 5 link requests an hour per email and 20 per client address: then 429."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tickets.models import PortalAccessEvent
from tickets.services import queue

pytestmark = pytest.mark.django_db
Kind = PortalAccessEvent.Kind


@pytest.fixture
def enqueued(monkeypatch):
    """The link requests handed on to the worker (nothing runs)."""
    calls: list[tuple] = []

    def enqueue_on_commit(task, *args):
        assert task == queue.PORTAL_LINK_SEND
        calls.append(args)

    monkeypatch.setattr(queue, "enqueue_on_commit", enqueue_on_commit)
    return calls


def _ask(client, email="maria@example.com", **headers):
    return client.post("/portal/", {"order": "1001", "email": email}, **headers)


def test_the_sixth_request_an_hour_for_one_email_is_a_429(client, enqueued):
    # given five requests for one email, from different addresses
    for n in range(5):
        assert _ask(client, REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    # when a sixth comes, written differently
    response = _ask(client, email=" MARIA@example.com ", REMOTE_ADDR="198.51.100.99")
    # then it is refused with a friendly page that says when to come back
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert b"Please wait a little" in response.content
    # and it is audited but not queued
    assert len(enqueued) == 5
    assert PortalAccessEvent.objects.filter(kind=Kind.LINK_RATE_LIMITED).count() == 1
    assert PortalAccessEvent.objects.filter(kind=Kind.LINK_REQUESTED).count() == 5


def test_the_limit_lifts_after_the_hour(client, enqueued, time_machine):
    for _ in range(6):
        _ask(client)
    time_machine.move_to(timezone.now() + timedelta(minutes=61))
    assert _ask(client).status_code == 302


def test_the_page_is_in_the_customers_language(client, enqueued):
    for _ in range(5):
        _ask(client)
    response = _ask(client, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 429
    assert response["Content-Language"] == "de"


def test_one_address_may_ask_twenty_times_an_hour_whatever_it_writes_into_the_header(
    client, enqueued, settings
):
    # given a trusted proxy that appends the client's address to X-Forwarded-For
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    # when one client sends 20 requests, each for another email, each with a made-up left entry
    for n in range(20):
        response = _ask(
            client,
            email=f"person{n}@example.com",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.50",
            REMOTE_ADDR="10.9.9.9",
        )
        assert response.status_code == 302
    # then the 21st is refused: the spoofed entries did not make it a new client
    response = _ask(
        client,
        email="someone-new@example.com",
        HTTP_X_FORWARDED_FOR="192.0.2.77, 203.0.113.50",
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert len(enqueued) == 20
    event = PortalAccessEvent.objects.get(kind=Kind.LINK_RATE_LIMITED)
    assert event.ip_address == "203.0.113.50"
    # and another client behind the same proxy is not held back
    other = _ask(
        client,
        email="someone-new@example.com",
        HTTP_X_FORWARDED_FOR="203.0.113.51",
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 302
