"""Two-factor sign-in: the login asks for the code when the user has a device; enrolment with a
QR code drawn here; supervisors can be made to enrol before anything else."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.tickets.factories import agent, supervisor, totp_code, totp_device

pytestmark = pytest.mark.django_db
LOGIN, CODE, ENROL, HOME = "/agent/login/", "/agent/login/code/", "/agent/two-factor/", "/agent/"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def verified(client) -> bool:
    return "otp_device_id" in client.session


def wrong(device) -> str:
    return "000000" if totp_code(device) != "000000" else "111111"


@pytest.fixture
def alice_with_phone():
    alice = agent(username="alice")
    return alice, totp_device(alice)


def test_the_password_alone_signs_nobody_in_when_there_is_a_device(client, alice_with_phone):
    response = client.post(
        LOGIN + "?next=/agent/notifications/failed/", {"username": "alice", "password": "pw"}
    )
    # then the code is asked for next, and nobody is signed in yet
    assert response.status_code == 302
    assert response["Location"] == f"{CODE}?next=%2Fagent%2Fnotifications%2Ffailed%2F"
    assert not signed_in(client)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert client.get(HOME).status_code == 302  # still signed out


def test_the_right_code_signs_in_verified_and_goes_on(client, alice_with_phone):
    _, device = alice_with_phone
    client.post(
        LOGIN + "?next=/agent/notifications/failed/", {"username": "alice", "password": "pw"}
    )
    response = client.post(
        CODE, {"code": totp_code(device), "next": "/agent/notifications/failed/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/agent/notifications/failed/"
    assert signed_in(client) and verified(client)
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_is_refused_with_a_reason(client, alice_with_phone):
    _, device = alice_with_phone
    client.post(LOGIN, {"username": "alice", "password": "pw"})
    response = client.post(CODE, {"code": wrong(device)})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert not signed_in(client)


def test_wrong_codes_count_as_failed_sign_ins_and_lock_out(
    client, settings, alice_with_phone, time_machine
):
    time_machine.move_to(timezone.now())
    _, device = alice_with_phone
    client.post(LOGIN, {"username": "alice", "password": "pw"})
    response = None
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        time_machine.shift(timedelta(seconds=70))  # past the device's own slow-down
        client.post(LOGIN, {"username": "alice", "password": "pw"})
        response = client.post(CODE, {"code": wrong(device)})
    # then the last wrong code brings the lockout page, and the password step is forgotten
    assert response.status_code == 429
    assert not signed_in(client)
    # and the account stays locked, the right password and code notwithstanding
    assert client.post(LOGIN, {"username": "alice", "password": "pw"}).status_code == 429


def test_the_code_step_expires(client, settings, alice_with_phone, time_machine):
    time_machine.move_to(timezone.now())
    _, device = alice_with_phone
    client.post(LOGIN, {"username": "alice", "password": "pw"})
    time_machine.shift(timedelta(seconds=settings.TWO_FACTOR_PENDING_SECONDS + 1))
    response = client.post(CODE, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not signed_in(client)


def test_the_code_page_without_a_password_first_sends_to_sign_in(client):
    response = client.get(CODE)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_session_from_before_the_device_must_sign_in_again(client):
    # given Alice signed in, and then a device was added to her account (elsewhere)
    alice = agent(username="alice")
    client.force_login(alice)
    totp_device(alice)
    # then her next page signs her out and asks her to sign in again
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={HOME}"
    assert not signed_in(client)


def test_the_api_refuses_such_a_session_in_its_error_shape(client):
    alice = agent(username="alice")
    client.force_login(alice)
    totp_device(alice)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Sign in again with your two-factor code.",
        "code": "two_factor_required",
    }


# --- enrolment --------------------------------------------------------------------------------


def test_enrolment_shows_a_qr_code_drawn_here_and_the_key(client):
    alice = agent(username="alice")
    client.force_login(alice)
    response = client.get(ENROL)
    assert response.status_code == 200
    content = response.content.decode()
    assert '<svg width="' in content  # inline, by segno: no image service sees the secret
    assert "http" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert response.context["secret"].replace(" ", "") in device.config_url


def test_confirming_with_a_code_turns_it_on_for_the_next_sign_in(client):
    alice = agent(username="alice")
    client.force_login(alice)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(ENROL, {"code": totp_code(device)}, follow=True)
    assert "Two-factor sign-in is on." in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert verified(client)  # this session counts as verified: no sign-in again
    assert client.get(HOME).status_code == 200


def test_a_wrong_code_does_not_turn_it_on(client):
    alice = agent(username="alice")
    client.force_login(alice)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=alice)
    response = client.post(ENROL, {"code": wrong(device)})
    assert "That code is not right." in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_turning_it_off_needs_a_code(client, alice_with_phone, time_machine):
    time_machine.move_to(timezone.now())
    _, device = alice_with_phone
    client.post(LOGIN, {"username": "alice", "password": "pw"})
    client.post(CODE, {"code": totp_code(device)})
    page = client.get(ENROL)
    assert "Turn off two-factor sign-in" in page.content.decode()
    # the code just used for signing in does not work twice: the next one does
    assert "not right" in client.post(ENROL, {"code": totp_code(device)}).content.decode()
    time_machine.shift(timedelta(seconds=35))
    response = client.post(ENROL, {"code": totp_code(device)}, follow=True)
    assert not TOTPDevice.objects.filter(user=device.user, confirmed=True).exists()
    assert "Two-factor sign-in is off." in response.content.decode()


# --- supervisors, when the setting says so ----------------------------------------------------


def test_off_by_default_supervisors_sign_in_with_the_password(client):
    supervisor(username="sam")
    response = client.post(LOGIN, {"username": "sam", "password": "pw"})
    assert response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_when_required_a_supervisor_without_a_device_is_sent_to_enrol_first(client, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_SUPERVISORS = True
    sam = supervisor(username="sam", is_staff=True)
    client.post(LOGIN, {"username": "sam", "password": "pw"})
    # then every page sends him to enrol, and the API says why
    for url in (HOME, "/agent/notifications/failed/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{ENROL}?next="), url
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403
    assert api.json()["code"] == "two_factor_required"
    page = client.get(ENROL)
    assert "Supervisors must sign in with a code here." in page.content.decode()
    # when he enrols, then he goes on where he wanted to
    device = TOTPDevice.objects.get(user=sam)
    response = client.post(ENROL, {"code": totp_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # and it cannot be turned off
    assert "cannot be turned off" in client.get(ENROL).content.decode()


def test_when_required_agents_are_not_held(client, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_SUPERVISORS = True
    agent(username="alice")
    client.post(LOGIN, {"username": "alice", "password": "pw"})
    assert client.get(HOME).status_code == 200


def test_a_supervisor_with_a_device_reaches_the_admin_through_the_code(client):
    sam = supervisor(username="sam", is_staff=True)
    device = totp_device(sam)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/"
    response = client.post(f"{LOGIN}?next=/admin/", {"username": "sam", "password": "pw"})
    response = client.post(response["Location"], {"code": totp_code(device), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
