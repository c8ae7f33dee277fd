"""Two-factor sign-in with a TOTP app (django-otp): enrol a device, confirm it with a first
code, check a code at sign-in, remove it. One confirmed device per user.

A wrong code is recorded on the device (django-otp's throttling) and must stay recorded when
the service refuses it, so these services check inside their transaction and raise only after
it committed: raising inside would roll the failure count back and undo the throttle."""

import math

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets.errors import (
    ApplicationError,
    InvalidTwoFactorCode,
    TwoFactorRequired,
    TwoFactorThrottled,
)
from tickets.selectors import user_must_enrol_two_factor


def _refusal(device: TOTPDevice, code: str) -> ApplicationError | None:
    """Why `code` is not `device`'s current one, or None when it is. A wrong code slows the
    device down (1, 2, 4 … seconds between tries) and a used code never works twice."""
    allowed, details = device.verify_is_allowed()
    if not allowed:
        until = (details or {}).get("locked_until") or timezone.now()
        return TwoFactorThrottled(max(1, math.ceil((until - timezone.now()).total_seconds())))
    if not device.verify_token(code.strip().replace(" ", "")):
        return InvalidTwoFactorCode()
    return None


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device `user` scans next: the same one until it is confirmed, so a
    reload of the enrolment page shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, code: str) -> TOTPDevice:
    """Turn two-factor sign-in on with `device` once the app shows a right code; any older
    device of the user stops working. Raises InvalidTwoFactorCode or TwoFactorThrottled."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _refusal(device, code)
        if refusal is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
    if refusal is not None:
        raise refusal
    return device


def totp_code_verify(*, device: TOTPDevice, code: str) -> TOTPDevice:
    """Check a sign-in code; raises InvalidTwoFactorCode or TwoFactorThrottled."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        refusal = _refusal(device, code)
    if refusal is not None:
        raise refusal
    return device


def totp_device_remove(*, user: User, code: str) -> None:
    """Turn two-factor sign-in off for `user`, proven with a current code. Refused with
    TwoFactorRequired for someone who must use it."""
    if user_must_enrol_two_factor(user=user):
        raise TwoFactorRequired()
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        refusal = None if device is None else _refusal(device, code)
        if device is not None and refusal is None:
            TOTPDevice.objects.filter(user=user).delete()
    if refusal is not None:
        raise refusal
