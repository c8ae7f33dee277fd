"""Enrol, confirm, verify and remove a TOTP device; wrong codes are throttled and stay counted."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.tickets.factories import agent, supervisor, totp_code, totp_device
from tickets.errors import InvalidTwoFactorCode, TwoFactorRequired, TwoFactorThrottled
from tickets.services.two_factor import (
    totp_code_verify,
    totp_device_confirm,
    totp_device_remove,
    totp_device_start,
)

pytestmark = pytest.mark.django_db


def test_enrolment_shows_the_same_device_until_it_is_confirmed():
    ana = agent(username="ana")
    first = totp_device_start(user=ana)
    assert not first.confirmed
    assert totp_device_start(user=ana) == first


def test_the_right_code_confirms_the_device_and_replaces_an_older_one():
    ana = agent(username="ana")
    old = totp_device(ana)
    device = totp_device_start(user=ana)
    device = totp_device_confirm(device=device, code=totp_code(device))
    assert device.confirmed
    assert list(TOTPDevice.objects.filter(user=ana)) == [device]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


def test_a_wrong_code_confirms_nothing():
    device = totp_device_start(user=agent(username="ana"))
    with pytest.raises(InvalidTwoFactorCode):
        totp_device_confirm(device=device, code="000000" if totp_code(device) != "000000" else "1")
    device.refresh_from_db()
    assert not device.confirmed


def test_a_wrong_code_stays_counted_and_slows_the_next_try(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = totp_device(agent(username="ana"))
    wrong = "123456" if totp_code(device) != "123456" else "654321"
    with pytest.raises(InvalidTwoFactorCode):
        totp_code_verify(device=device, code=wrong)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # not rolled back with the refusal
    # then even the right code waits a moment
    with pytest.raises(TwoFactorThrottled) as refused:
        totp_code_verify(device=device, code=totp_code(device))
    assert refused.value.params["seconds"] == 1
    time_machine.shift(timedelta(seconds=2))
    assert totp_code_verify(device=device, code=totp_code(device)) == device


def test_a_code_works_once(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    device = totp_device(agent(username="ana"))
    code = totp_code(device)
    totp_code_verify(device=device, code=code)
    with pytest.raises(InvalidTwoFactorCode):
        totp_code_verify(device=device, code=code)


def test_spaces_in_a_code_are_fine():
    device = totp_device(agent(username="ana"))
    code = totp_code(device)
    assert totp_code_verify(device=device, code=f" {code[:3]} {code[3:]} ") == device


def test_removing_needs_a_current_code(time_machine):
    time_machine.move_to(timezone.now())
    ana = agent(username="ana")
    device = totp_device(ana)
    with pytest.raises(InvalidTwoFactorCode):
        totp_device_remove(user=ana, code="x")
    assert TOTPDevice.objects.filter(user=ana).exists()
    time_machine.shift(timedelta(seconds=2))
    totp_device_remove(user=ana, code=totp_code(device))
    assert not TOTPDevice.objects.filter(user=ana).exists()


def test_a_supervisor_who_must_use_it_cannot_remove_it(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_SUPERVISORS = True
    sam = supervisor(username="sam")
    device = totp_device(sam)
    with pytest.raises(TwoFactorRequired):
        totp_device_remove(user=sam, code=totp_code(device))
    assert TOTPDevice.objects.filter(user=sam).exists()
