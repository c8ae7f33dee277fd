"""POST /webhooks/email/postmark/inbound/: Postmark's inbound JSON, authenticated by the HTTP
basic auth of ANYMAIL_WEBHOOK_SECRET (Postmark signs nothing)."""

import base64

import pytest

from tests.tickets.factories import CaseFactory
from tests.tickets.inbound.conftest import PNG
from tickets.models import Case, InboundEmail, Message
from tickets.services.notifications import reply_address

pytestmark = pytest.mark.django_db

URL = "/webhooks/email/postmark/inbound/"
SECRET = "postmark:inbound-s3cret"


def _basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def _payload(case: Case, *, message_id: str = "<r1@mail.example.net>") -> dict:
    """Postmark's inbound JSON for the customer's reply with a photo."""
    customer = case.customer
    return {
        "FromName": customer.name,
        "MessageStream": "inbound",
        "From": customer.email,
        "FromFull": {"Email": customer.email, "Name": customer.name},
        "To": reply_address(case),
        "ToFull": [{"Email": reply_address(case), "Name": ""}],
        "CcFull": [],
        "OriginalRecipient": reply_address(case),
        "Subject": f"Re: {case.number}",
        "MessageID": "22c74902-a0c1-4511-804f-341342852c90",
        "Date": "Mon, 3 Jun 2024 10:15:00 +0200",
        "TextBody": "Der Riss ist hier.\n\nAm 03.06.2024 schrieb Shop:\n> Bitte ein Foto.",
        "HtmlBody": "<p>Der Riss ist hier.</p>",
        "StrippedTextReply": "Der Riss ist hier.",
        "Headers": [
            {"Name": "Return-Path", "Value": f"<{customer.email}>"},
            {"Name": "Message-ID", "Value": message_id},
            {"Name": "X-Spam-Status", "Value": "No"},
        ],
        "Attachments": [
            {
                "Name": "riss.png",
                "Content": base64.b64encode(PNG).decode(),
                "ContentType": "image/png",
                "ContentLength": len(PNG),
            }
        ],
    }


@pytest.fixture
def postmark_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": [SECRET]}


def test_a_reply_with_basic_auth_lands_on_its_case(client, postmark_secret):
    # given an open case
    case = CaseFactory(status=Case.Status.OPEN)
    # when Postmark posts the customer's reply with the shared credentials
    response = client.post(
        URL, data=_payload(case), content_type="application/json", HTTP_AUTHORIZATION=_basic(SECRET)
    )
    # then it is on the case, quote stripped, photo kept
    assert response.status_code == 200, response.content
    message = case.messages.get()
    assert message.body == "Der Riss ist hier."
    assert [a.filename for a in message.attachments.all()] == ["riss.png"]
    assert InboundEmail.objects.get().message_id == "<r1@mail.example.net>"


@pytest.mark.parametrize("authorization", [None, _basic("postmark:wrong")])
def test_missing_or_wrong_credentials_are_refused(client, postmark_secret, authorization):
    # given a post without the right credentials
    case = CaseFactory(status=Case.Status.OPEN)
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    # when it arrives
    response = client.post(URL, data=_payload(case), content_type="application/json", **headers)
    # then it is refused and nothing is written
    assert response.status_code == 401
    assert (Message.objects.count(), InboundEmail.objects.count()) == (0, 0)


def test_without_a_webhook_secret_postmark_is_refused(client, settings):
    # given no ANYMAIL_WEBHOOK_SECRET: anymail alone would accept anyone's post
    settings.ANYMAIL = {"WEBHOOK_SECRET": []}
    case = CaseFactory(status=Case.Status.OPEN)
    # when a post arrives
    response = client.post(URL, data=_payload(case), content_type="application/json")
    # then it is refused
    assert response.status_code == 401
    assert Message.objects.count() == 0


@pytest.mark.parametrize("body", [b"{not json", b'"a string"'])
def test_a_post_that_is_not_postmark_json_is_a_clear_400(client, postmark_secret, body):
    # when an authenticated post carries something that is not Postmark's inbound JSON
    response = client.post(
        URL, data=body, content_type="application/json", HTTP_AUTHORIZATION=_basic(SECRET)
    )
    # then the answer says so, and nothing is written
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_payload"
    assert InboundEmail.objects.count() == 0


def test_postmark_may_check_the_url_with_head(client, postmark_secret):
    response = client.head(URL, HTTP_AUTHORIZATION=_basic(SECRET))
    assert response.status_code == 200
