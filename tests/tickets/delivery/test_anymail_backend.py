"""Email through an ESP's API (django-anymail) instead of SMTP: chosen by EMAIL_BACKEND, its
provider settings taken from ANYMAIL_* variables, the ESP's message id kept on the row."""

import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import mail

from tests.tickets.factories import NotificationFactory
from tickets.models import Notification
from tickets.services.delivery import notification_deliver


@pytest.mark.django_db
def test_an_anymail_backend_sends_and_its_message_id_is_recorded(settings):
    # given email goes through anymail (its test backend stands in for a provider's API)
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    notification = NotificationFactory()
    # when a worker delivers the notification
    outcome = notification_deliver(notification_id=notification.pk)
    # then the provider got it, with our headers, and the row keeps the provider's id
    notification.refresh_from_db()
    assert (outcome.status, notification.status) == ("sent", Notification.Status.SENT)
    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"] == notification.message_id
    assert notification.provider_id == str(sent.anymail_status.message_id)


def test_email_backend_and_anymail_settings_come_from_the_environment():
    # given a deployment that picks Mailgun's API through the environment
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aftersales.settings.local",
        "EMAIL_BACKEND": "anymail.backends.mailgun.EmailBackend",
        "ANYMAIL_MAILGUN_API_KEY": "key-123",
        "ANYMAIL_MAILGUN_SENDER_DOMAIN": "mg.shop.example",
    }
    # when the settings load
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.ANYMAIL['MAILGUN_API_KEY'], s.ANYMAIL['MAILGUN_SENDER_DOMAIN'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # then the backend and the provider's settings are the ones given
    assert result.stdout.split() == [
        "anymail.backends.mailgun.EmailBackend",
        "key-123",
        "mg.shop.example",
    ]
