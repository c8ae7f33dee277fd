"""Failed sign-ins lock an account and a client address out for a while (django-axes), on the
agent login and through the admin, which has no login form of its own."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from tests.tickets.factories import agent, supervisor
from tickets.security import client_ip_address

pytestmark = pytest.mark.django_db
LOGIN = "/agent/login/"


def sign_in(client, username, password, address="203.0.113.7", **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_30_wrong_passwords_then_the_right_one_does_not_sign_in(client):
    # given an agent, and 30 wrong passwords for her account
    agent(username="alice")
    for _ in range(30):
        sign_in(client, "alice", "guess")
    # when the right password comes next
    response = sign_in(client, "alice", "pw")
    # then she is not signed in: the lockout page says so, and for how long
    assert not signed_in(client)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    content = response.content.decode()
    assert "Sign-in blocked for now" in content
    assert "Try again in 15 minutes." in content


def test_the_lockout_starts_at_the_limit(client, settings):
    agent(username="alice")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert sign_in(client, "alice", "guess").status_code == 200
    # the failure that reaches the limit already answers with the lockout page
    assert sign_in(client, "alice", "guess").status_code == 429


def test_below_the_limit_the_right_password_still_works(client, settings):
    agent(username="alice")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        sign_in(client, "alice", "guess")
    assert sign_in(client, "alice", "pw").status_code == 302
    assert signed_in(client)


def test_an_account_is_locked_whatever_address_the_guesses_come_from(client, settings):
    # given guesses for one account, each from another address
    agent(username="alice")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "alice", "guess", address=f"198.51.100.{n}")
    # then the account is locked from a fresh address too
    assert sign_in(client, "alice", "pw", address="192.0.2.99").status_code == 429
    assert not signed_in(client)


def test_an_address_is_locked_whatever_accounts_it_tries(client, settings):
    # given one address guessing a different account each time
    agent(username="alice")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, f"user{n}", "guess", address="203.0.113.7")
    # then it cannot sign in to any account
    assert sign_in(client, "alice", "pw", address="203.0.113.7").status_code == 429
    # while the same account from another address is fine
    assert sign_in(client, "alice", "pw", address="192.0.2.99").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, settings, time_machine):
    time_machine.move_to(timezone.now())
    agent(username="alice")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "alice", "guess")
    assert sign_in(client, "alice", "pw").status_code == 429
    # a try during the lockout started the wait again: 15 minutes from now it is over
    time_machine.shift(timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES, seconds=1))
    assert sign_in(client, "alice", "pw").status_code == 302
    assert signed_in(client)


def test_a_forged_forwarded_for_header_does_not_escape_the_address_lockout(client, settings):
    # given no proxy is configured, the header is the client's own words and is ignored
    agent(username="alice")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, f"user{n}", "guess", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    response = sign_in(client, "alice", "pw", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_header_names_the_client(client, settings):
    # given a proxy in front that appends the address it saw
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    agent(username="alice")
    for n in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, f"user{n}", "guess", address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    # then that client is locked out, and another client behind the same proxy is not
    locked = sign_in(client, "alice", "pw", address="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert locked.status_code == 429
    other = sign_in(client, "alice", "pw", address="10.0.0.1", HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert other.status_code == 302


@pytest.mark.parametrize(
    ("header", "count", "forwarded", "expected"),
    [
        ("", 1, "1.2.3.4", "10.0.0.1"),  # no proxy configured: the header is ignored
        ("X-Forwarded-For", 1, "1.2.3.4", "1.2.3.4"),
        ("X-Forwarded-For", 1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # left of ours: client's words
        ("X-Forwarded-For", 2, "6.6.6.6, 1.2.3.4, 172.16.0.2", "1.2.3.4"),
        ("X-Forwarded-For", 2, "1.2.3.4", "10.0.0.1"),  # too short: not through our proxies
        ("X-Forwarded-For", 1, "not-an-address", "10.0.0.1"),
        ("X-Real-IP", 1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address(settings, header, count, forwarded, expected):
    settings.CLIENT_IP_HEADER, settings.TRUSTED_PROXY_COUNT = header, count
    meta = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": forwarded}
    meta["HTTP_X_REAL_IP"] = forwarded
    assert client_ip_address(RequestFactory().get("/", **meta)) == expected


# --- the admin has no door of its own ---------------------------------------------------------


def test_the_admin_login_sends_to_the_agent_login(client):
    response = client.get("/admin/login/?next=/admin/tickets/case/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/admin/tickets/case/"
    # and an absolute next elsewhere is not followed
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == f"{LOGIN}?next=/admin/"


def test_posting_a_password_to_the_admin_login_signs_nobody_in(client):
    supervisor(username="sam")
    response = client.post("/admin/login/", {"username": "sam", "password": "pw"})
    assert response.status_code == 302
    assert not signed_in(client)


def test_a_locked_supervisor_cannot_get_into_the_admin_either(client, settings):
    sam = supervisor(username="sam")
    sam.is_staff = True
    sam.save()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(client, "sam", "guess")
    response = client.post(
        "/admin/login/", {"username": "sam", "password": "pw", "next": "/admin/"}, follow=True
    )
    assert not signed_in(client)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert sign_in(client, "sam", "pw").status_code == 429


def test_a_supervisor_signs_in_and_lands_in_the_admin(client):
    sam = supervisor(username="sam")
    sam.is_staff = True
    sam.save()
    response = client.post(LOGIN + "?next=/admin/", {"username": "sam", "password": "pw"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
