"""/portal/: the access form. Same answer whether the order exists; the worker sends."""

import json
import re

import pytest
from django.core import mail
from django.test import Client

from tests.tickets.portal_access.conftest import token_in
from tickets.models import PortalAccessEvent, PortalLink
from tickets.portal.session import portal_session_start
from tickets.selectors.portal_access import portal_email_hash
from tickets.services import queue

pytestmark = pytest.mark.django_db
Kind = PortalAccessEvent.Kind


@pytest.fixture
def enqueued(monkeypatch):
    """The tasks queued by name, with their arguments; nothing runs."""
    calls: list[tuple[str, tuple]] = []

    def enqueue(task, *args, countdown=None):
        calls.append((task, args))
        return True

    monkeypatch.setattr(queue, "enqueue", enqueue)
    return calls


def _without_csrf(content: bytes) -> bytes:
    """A page without its CSRF token, which is masked afresh for every response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_the_form_asks_for_order_number_and_email_prefilled_from_the_link(client):
    # when the form is opened from a notification's link
    response = client.get("/portal/", {"order": "1001", "next": "/portal/cases/AS-1/"})
    # then it has both labelled fields, the order number filled in, and carries `next`
    page = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_order">Order number</label>' in page
    assert '<label for="id_email">Email</label>' in page
    assert 'name="order"' in page and 'value="1001"' in page
    assert 'name="next" value="/portal/cases/AS-1/"' in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "evil",
    [
        "https://evil.example/portal/",
        "//evil.example/portal/",
        "/\\evil.example",
        "/portal/..//evil.example",
        "/portal/../agent/",
        "/agent/",
        "javascript:alert(1)",
        "/portal/link/abc/",
    ],
)
def test_next_is_only_ever_a_path_under_portal(client, evil):
    page = client.get("/portal/", {"next": evil}).content.decode()
    assert 'name="next" value=""' in page


def test_a_signed_in_customer_goes_straight_on(client, maria):
    # given a browser signed in as Maria
    session = client.session
    request = type("R", (), {"session": session})()
    portal_session_start(request, customer=maria)
    session.save()
    client.cookies["sessionid"] = session.session_key
    # when the form is opened, with and without a page to go to
    to_orders = client.get("/portal/")
    to_case = client.get("/portal/", {"next": "/portal/cases/AS-MARI-A001/"})
    off_site = client.get("/portal/", {"next": "https://evil.example/"})
    # then it goes on to that page, or to the orders
    assert to_orders.status_code == 302 and to_orders["Location"] == "/portal/orders/"
    assert to_case["Location"] == "/portal/cases/AS-MARI-A001/"
    assert off_site["Location"] == "/portal/orders/"


def test_a_request_is_audited_queued_and_answered_with_the_sent_page(
    client, enqueued, django_capture_on_commit_callbacks
):
    # when the form is sent, from behind nothing (REMOTE_ADDR is the client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/portal/",
            {"order": " 1001 ", "email": "Maria@Example.com", "next": "/portal/cases/AS-1/"},
            REMOTE_ADDR="198.51.100.4",
        )
    # then it redirects to the sent page (POST, redirect, GET)
    assert response.status_code == 302 and response["Location"] == "/portal/sent/"
    # and the request is audited with what was typed, the email only as a hash, and the IP
    event = PortalAccessEvent.objects.get()
    assert event.kind == Kind.LINK_REQUESTED and event.ip_address == "198.51.100.4"
    assert event.data == {"order": "1001", "email_sha256": portal_email_hash("maria@example.com")}
    assert "maria" not in json.dumps(event.data).lower()
    # and the worker's task is queued with JSON-safe arguments
    [(task, args)] = enqueued
    assert task == queue.PORTAL_LINK_SEND
    assert json.loads(json.dumps(args)) == list(args)
    assert args == ("1001", "Maria@Example.com", "198.51.100.4", "/portal/cases/AS-1/", None)


def test_the_queued_task_sends_the_link(client, maria_order, django_capture_on_commit_callbacks):
    # when the form is sent and the (eager) worker runs after commit
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/portal/", {"order": "1001", "email": "maria@example.com"})
    # then the link is in Maria's mailbox and the audit says sent
    assert token_in(mail.outbox[-1])
    assert PortalAccessEvent.objects.filter(kind=Kind.LINK_SENT, customer=maria_order.customer)


def test_the_answer_is_the_same_for_an_order_that_exists_and_one_that_does_not(
    client, maria_order, enqueued
):
    # when one request names Maria's order and another an order that does not exist
    real = client.post("/portal/", {"order": "1001", "email": "maria@example.com"}, follow=True)
    fake = client.post("/portal/", {"order": "4242", "email": "nobody@example.com"}, follow=True)
    # then both get the same status, the same redirect and the same page, byte for byte
    assert real.status_code == fake.status_code == 200
    assert real.redirect_chain == fake.redirect_chain == [("/portal/sent/", 302)]
    assert _without_csrf(real.content) == _without_csrf(fake.content)
    assert b"If this order exists, we have sent a sign-in link" in real.content
    # and neither request sent anything itself (the worker does)
    assert mail.outbox == [] and not PortalLink.objects.exists()


def test_the_sent_page_tells_the_demo_where_emails_are_saved(client, settings):
    settings.DEBUG = True
    assert b"var/mail" in client.get("/portal/sent/").content
    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert b"var/mail" not in client.get("/portal/sent/").content


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"order": "", "email": "maria@example.com"}, "order", "Enter your order number"),
        ({"order": "1001", "email": "not-an-email"}, "email", "Enter an email address like"),
        ({"order": "1001"}, "email", "Enter the email address you ordered with"),
        ({"order": "x" * 65, "email": "maria@example.com"}, "order", "at most 64 characters"),
        ({"order": "10\x0001", "email": "maria@example.com"}, "order", "Null characters"),
    ],
)
def test_a_malformed_request_is_a_400_with_a_message_next_to_the_field(
    client, enqueued, data, field, message
):
    response = client.post("/portal/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert f'aria-describedby="{field}-error"' in page and message in page
    assert enqueued == [] and not PortalAccessEvent.objects.exists()


def test_the_form_needs_its_csrf_token(enqueued):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/portal/", {"order": "1001", "email": "maria@example.com"})
    assert response.status_code == 403
    assert enqueued == [] and not PortalAccessEvent.objects.exists()
    # and with the token from the form, it goes through
    browser.get("/portal/")
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/portal/", {"order": "1001", "email": "maria@example.com", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_opening_the_form_changes_nothing(client, enqueued):
    client.get("/portal/", {"order": "1001"})
    client.head("/portal/")
    client.get("/portal/sent/")
    assert enqueued == [] and not PortalAccessEvent.objects.exists()


def test_an_odd_prefill_is_dropped_not_echoed(client):
    response = client.get("/portal/", {"order": "10\x0001\n", "next": "/portal/\x00"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "\x00" not in page and 'value="1001"' in page and 'name="next" value=""' in page
