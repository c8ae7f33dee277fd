"""The portal session: 30 minutes idle, 12 hours at most, and sign-out ends it on the server."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from tests.tickets.portal_access.conftest import link_path
from tickets.models import PortalAccessEvent
from tickets.portal.session import SESSION_KEY

pytestmark = pytest.mark.django_db
Kind = PortalAccessEvent.Kind


def _signed_in(client) -> bool:
    """The access form sends a signed-in customer on to their orders."""
    response = client.get("/portal/")
    return response.status_code == 302 and response["Location"] == "/portal/orders/"


@pytest.fixture
def signed_in(client, token):
    assert client.post(link_path(token)).status_code == 303
    assert _signed_in(client)
    return client


def test_the_session_ends_after_30_minutes_idle(signed_in, time_machine, maria):
    # given requests every 29 minutes, the session lives on
    for _ in range(3):
        time_machine.move_to(timezone.now() + timedelta(minutes=29))
        assert _signed_in(signed_in)
    # when 31 minutes pass without a request
    time_machine.move_to(timezone.now() + timedelta(minutes=31))
    # then it has ended, and the audit says it expired
    assert not _signed_in(signed_in)
    assert PortalAccessEvent.objects.get(kind=Kind.SESSION_EXPIRED).customer == maria


def test_the_session_ends_after_12_hours_however_busy(signed_in, time_machine):
    # given a customer active every 20 minutes for nearly 12 hours
    started = timezone.now()
    while timezone.now() < started + timedelta(hours=11, minutes=40):
        time_machine.move_to(timezone.now() + timedelta(minutes=20))
        assert _signed_in(signed_in)
    # when 12 hours have passed since signing in
    time_machine.move_to(started + timedelta(hours=12, minutes=1))
    # then the session has ended
    assert not _signed_in(signed_in)
    assert PortalAccessEvent.objects.filter(kind=Kind.SESSION_EXPIRED).count() == 1


def test_sign_out_ends_the_session_on_the_server(signed_in, maria):
    # given the session cookie of the signed-in browser, kept aside
    old_cookie = signed_in.cookies["sessionid"].value
    # when the customer signs out
    response = signed_in.post("/portal/sign-out/")
    # then they land on the access form, told they are signed out
    assert response.status_code == 302 and response["Location"] == "/portal/"
    page = signed_in.get("/portal/").content.decode()
    assert "You are signed out" in page
    assert SESSION_KEY not in signed_in.session
    # and the audit has the sign-out
    assert PortalAccessEvent.objects.get(kind=Kind.SIGNED_OUT).customer == maria
    # and replaying the old cookie in another browser signs no one in
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    assert not _signed_in(replay)


def test_sign_out_is_post_only_and_needs_its_csrf_token(token):
    browser = Client(enforce_csrf_checks=True)
    browser.get(link_path(token))
    csrf = browser.cookies["csrftoken"].value
    browser.post(link_path(token), {"csrfmiddlewaretoken": csrf})
    assert _signed_in(browser)
    # a GET, or a POST without the token, does not sign out
    assert browser.get("/portal/sign-out/").status_code == 405
    assert browser.post("/portal/sign-out/").status_code == 403
    assert _signed_in(browser)
    assert not PortalAccessEvent.objects.filter(kind=Kind.SIGNED_OUT).exists()
    # the POST with the token does
    csrf = browser.cookies["csrftoken"].value
    assert browser.post("/portal/sign-out/", {"csrfmiddlewaretoken": csrf}).status_code == 302
    assert not _signed_in(browser)


def test_signing_out_when_not_signed_in_is_harmless(client):
    response = client.post("/portal/sign-out/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert not PortalAccessEvent.objects.exists()


def test_the_sign_out_partial_posts_to_sign_out_with_its_csrf_token(rf):
    html = render_to_string("tickets/portal/_sign_out.html", request=rf.get("/portal/orders/"))
    assert '<form action="/portal/sign-out/" method="post">' in html
    assert 'name="csrfmiddlewaretoken"' in html
