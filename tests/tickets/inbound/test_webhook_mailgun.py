"""POST /webhooks/email/mailgun/inbound_mime/: Mailgun's route forwarding the raw MIME message,
signed with the webhook signing key, through anymail's view and `inbound` signal."""

import hashlib
import hmac
import secrets
import time

import pytest
from django.urls import reverse

from tests.tickets.factories import CaseFactory
from tests.tickets.inbound.conftest import PNG, email_message, reply_to
from tickets.models import Attachment, Case, InboundEmail, Message

pytestmark = pytest.mark.django_db

KEY = "key-test-mailgun-signing"
URL = "/webhooks/email/mailgun/inbound_mime/"


@pytest.fixture
def mailgun_key(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": [], "MAILGUN_WEBHOOK_SIGNING_KEY": KEY}
    return KEY


def _post(client, message, *, key=KEY, signature=None):
    """The form Mailgun's forward() posts for a URL containing "mime"."""
    timestamp, token = str(int(time.time())), secrets.token_hex(25)
    expected = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    data = {
        "body-mime": message.as_string(),
        "recipient": message["To"],
        "sender": message["From"],
        "timestamp": timestamp,
        "token": token,
        "signature": signature or expected,
    }
    return client.post(URL, data=data)


def test_a_signed_reply_lands_on_its_case_with_its_attachment(client, mailgun_key):
    # given an open case and the customer's reply with a photo
    case = CaseFactory(status=Case.Status.OPEN)
    reply = reply_to(
        case,
        body="Here is the photo.\n\nOn Mon, Jun 3, 2024 Shop wrote:\n> Send a photo please.",
        attachments=(("crack.png", "image/png", PNG),),
    )
    # when Mailgun forwards it, signed
    assert reverse("webhooks:inbound-email-mailgun") == "/webhooks/email/mailgun/inbound/"
    response = _post(client, reply)
    # then it is the customer's message on the case, without the quote, with the photo
    assert response.status_code == 200, response.content
    assert response.json() == {"received": [{"outcome": "attached", "case": case.number}]}
    message = case.messages.get()
    assert (message.author_kind, message.body) == ("customer", "Here is the photo.")
    attachment = message.attachments.get()
    assert (attachment.filename, attachment.size) == ("crack.png", len(PNG))
    assert InboundEmail.objects.get().source == "mailgun"


def test_the_same_email_forwarded_twice_is_stored_once(client, mailgun_key):
    # given a stranger's email Mailgun already forwarded
    message = email_message(sender="new@example.org", attachments=(("a.png", "image/png", PNG),))
    _post(client, message)
    # when Mailgun retries it
    response = _post(client, message)
    # then it is acknowledged and nothing more is written
    assert response.status_code == 200
    case = Case.objects.get()
    assert response.json() == {"received": [{"outcome": "duplicate", "case": case.number}]}
    assert (Case.objects.count(), Message.objects.count(), Attachment.objects.count()) == (1, 1, 1)


@pytest.mark.parametrize("signature", ["0" * 64, "not-even-hex"])
def test_a_wrong_signature_is_refused_and_changes_nothing(client, mailgun_key, signature):
    # given a forged post
    case = CaseFactory(status=Case.Status.OPEN)
    # when it arrives with a wrong signature
    response = _post(client, reply_to(case), signature=signature)
    # then it is refused and nothing is written
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_signature"
    assert (Message.objects.count(), InboundEmail.objects.count()) == (0, 0)


def test_without_a_signing_key_every_post_is_refused(client, settings):
    # given no MAILGUN_WEBHOOK_SIGNING_KEY (an empty key would let anyone sign)
    settings.ANYMAIL = {"WEBHOOK_SECRET": []}
    case = CaseFactory(status=Case.Status.OPEN)
    # when a post signed with an empty key arrives
    response = _post(client, reply_to(case), key="")
    # then it is refused
    assert response.status_code == 401
    assert Message.objects.count() == 0


def test_a_tracking_webhook_pointed_here_is_a_clear_400(client, mailgun_key):
    # given Mailgun's tracking webhook configured at the inbound URL by mistake
    timestamp, token = str(int(time.time())), "t" * 50
    signature = hmac.new(KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()
    data = {"event": "delivered", "timestamp": timestamp, "token": token, "signature": signature}
    # when it posts an event
    response = client.post(URL, data=data)
    # then the answer says what is wrong
    assert response.status_code == 400
    assert response.json()["code"] == "wrong_webhook"


def test_only_post_is_allowed(client, mailgun_key):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_post_over_the_upload_limit_is_a_clear_413(client, mailgun_key, settings):
    # given a raw message larger than DATA_UPLOAD_MAX_MEMORY_SIZE
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    message = email_message(sender="big@example.org", body="x" * 5000)
    # when Mailgun forwards it
    response = _post(client, message)
    # then the answer names the limit, and nothing is written
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert InboundEmail.objects.count() == 0
