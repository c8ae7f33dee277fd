"""Every refusal of an inbound email webhook names what was missing or wrong: the server
setting, the header or signature field (401), or the fields of the post (400, with "errors"),
for each provider's path. Nothing is written for a refused post."""

import base64
import hashlib
import hmac
import json
import secrets
import time

import pytest

from tests.tickets.factories import CaseFactory
from tests.tickets.inbound.conftest import PNG, reply_to
from tickets.inbound import payloads
from tickets.models import Case, InboundEmail, Message

pytestmark = pytest.mark.django_db

MAILGUN_KEY = "key-test-mailgun-signing"
SECRET = "inbound:s3cret"


@pytest.fixture
def secrets_set(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": [SECRET], "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


@pytest.fixture
def mailgun_key(settings):
    """Mailgun signs its posts: no basic auth on top."""
    settings.ANYMAIL = {"WEBHOOK_SECRET": [], "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}


@pytest.fixture
def case():
    return CaseFactory(status=Case.Status.OPEN)


def _basic(credentials: str = SECRET) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def _signed(**fields) -> dict:
    """Mailgun's form fields with its signature fields."""
    timestamp, token = str(int(time.time())), secrets.token_hex(25)
    signature = hmac.new(
        MAILGUN_KEY.encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {"timestamp": timestamp, "token": token, "signature": signature, **fields}


def _json(client, url, body, *, auth=SECRET):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(
        url, data=data, content_type="application/json", HTTP_AUTHORIZATION=_basic(auth)
    )


def _refused(response, status: int, code: str) -> dict:
    """The answer's JSON, after checking it is the refusal expected and nothing was written."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert (InboundEmail.objects.count(), Message.objects.count()) == (0, 0)
    return body


def _headers_of(case) -> list[list[str]]:
    reply = reply_to(case)
    return [[name, str(value)] for name, value in reply.items()]


# --- Mailgun ------------------------------------------------------------------------------------

MAILGUN = "/webhooks/email/mailgun/inbound/"


def test_mailgun_parsed_fields_land_on_their_case(client, mailgun_key, case):
    # given Mailgun's "parsed fields" post of the customer's reply
    data = _signed(**{"message-headers": json.dumps(_headers_of(case)), "body-plain": "Thanks!"})
    # when it arrives
    response = client.post(MAILGUN, data=data)
    # then it is on the case
    assert response.status_code == 200, response.content
    assert case.messages.get().body == "Thanks!"


def test_mailgun_without_message_headers_names_the_field(client, mailgun_key):
    # given a signed post with neither the raw message nor the parsed headers
    response = client.post(MAILGUN, data=_signed(**{"body-plain": "Hello"}))
    # then the refusal names the field it needs, and its alternative
    body = _refused(response, 400, "invalid_payload")
    assert "message-headers" in body["detail"]
    assert list(body["errors"]) == ["message-headers"]
    assert "body-mime" in body["errors"]["message-headers"][0]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"message-headers": "{not json"}, "message-headers"),
        ({"message-headers": '{"From": "a@example.org"}'}, "message-headers"),
        ({"message-headers": '[["From"]]'}, "message-headers"),
        ({"message-headers": "[]", "attachment-count": "two"}, "attachment-count"),
        ({"message-headers": "[]", "content-id-map": "[1]"}, "content-id-map"),
    ],
    ids=["not-json", "not-a-list", "not-pairs", "count-not-a-number", "map-not-an-object"],
)
def test_mailgun_wrong_fields_are_named(client, mailgun_key, fields, field):
    body = _refused(client.post(MAILGUN, data=_signed(**fields)), 400, "invalid_payload")
    assert list(body["errors"]) == [field]


def test_mailgun_missing_signature_fields_are_named(client, mailgun_key, case):
    # given a post whose token and signature fields were dropped on the way
    data = {"body-mime": reply_to(case).as_string(), "timestamp": str(int(time.time()))}
    # then the refusal names both
    body = _refused(client.post(MAILGUN, data=data), 401, "invalid_signature")
    assert sorted(body["errors"]) == ["signature", "token"]
    assert "token, signature" in body["detail"]


def test_mailgun_json_post_without_its_signature_object_is_named(client, mailgun_key):
    # given a JSON post (Mailgun's tracking format) without the "signature" object
    response = client.post(MAILGUN, data={"event-data": {}}, content_type="application/json")
    # then the refusal names the fields in that object
    body = _refused(response, 401, "invalid_signature")
    assert sorted(body["errors"]) == [
        "signature.signature",
        "signature.timestamp",
        "signature.token",
    ]


def test_mailgun_wrong_signature_says_it_does_not_match(client, mailgun_key, case):
    data = _signed(**{"body-mime": reply_to(case).as_string()}) | {"signature": "0" * 64}
    body = _refused(client.post(MAILGUN, data=data), 401, "invalid_signature")
    assert body["errors"] == {"signature": ["Does not match."]}
    assert "signing key" in body["detail"]


def test_mailgun_without_a_signing_key_names_the_setting(client, settings, case):
    settings.ANYMAIL = {"WEBHOOK_SECRET": []}
    data = _signed(**{"body-mime": reply_to(case).as_string()})
    body = _refused(client.post(MAILGUN, data=data), 401, "webhook_not_configured")
    assert "MAILGUN_WEBHOOK_SIGNING_KEY" in body["detail"]


# --- basic auth (Postmark, SendGrid, SparkPost, Mailjet) ----------------------------------------

POSTMARK = "/webhooks/email/postmark/inbound/"


@pytest.mark.parametrize(
    ("authorization", "words"),
    [
        (None, "missing"),
        ("Bearer abc", "not HTTP basic auth"),
        (_basic("inbound:wrong"), "wrong"),
    ],
    ids=["missing", "not-basic", "wrong"],
)
def test_basic_auth_refusals_say_what_is_wrong_with_the_header(
    client, secrets_set, authorization, words
):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.post(POSTMARK, data={}, content_type="application/json", **headers)
    body = _refused(response, 401, "invalid_signature")
    assert list(body["errors"]) == ["Authorization"]
    assert words in body["detail"]


@pytest.mark.parametrize("provider", ["postmark", "sendgrid", "sparkpost", "mailjet"])
def test_without_a_webhook_secret_the_refusal_names_the_setting(client, settings, provider):
    settings.ANYMAIL = {"WEBHOOK_SECRET": []}
    response = client.post(f"/webhooks/email/{provider}/inbound/", data={})
    body = _refused(response, 401, "webhook_not_configured")
    assert "ANYMAIL_WEBHOOK_SECRET" in body["detail"]


# --- Postmark -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        (b"{not json", ["body"]),
        ([], ["body"]),
        ({"Headers": [{"Name": "X-Spam-Status"}]}, ["Headers[0]"]),
        ({"Headers": "X-Spam-Status: No"}, ["Headers"]),
        ({"RawEmail": 42}, ["RawEmail"]),
        ({"FromFull": "anna@example.com", "ToFull": [None]}, ["FromFull", "ToFull[0]"]),
        ({"Attachments": [{"Name": "a.png", "Content": "aGk="}]}, ["Attachments[0].ContentType"]),
        (
            {"Attachments": [{"ContentType": "image/png", "Content": "not base64!"}]},
            ["Attachments[0].Content"],
        ),
        ({"Attachments": [{"ContentType": "image/png"}]}, ["Attachments[0].Content"]),
    ],
    ids=[
        "not-json",
        "not-an-object",
        "header-without-value",
        "headers-not-a-list",
        "raw-email-not-text",
        "addresses-not-objects",
        "attachment-without-type",
        "attachment-not-base64",
        "attachment-without-content",
    ],
)
def test_postmark_wrong_fields_are_named(client, secrets_set, payload, fields):
    body = _refused(_json(client, POSTMARK, payload), 400, "invalid_payload")
    assert list(body["errors"]) == fields
    for field in fields:
        assert field in body["detail"]


def test_what_the_checks_miss_is_still_named_never_a_500(client, secrets_set, monkeypatch):
    # given the field checks switched off, so anymail meets the bad attachment itself
    monkeypatch.setitem(payloads.CHECKS, "Postmark", lambda request: {})
    payload = {"Attachments": [{"Name": "a.png", "Content": "aGk="}]}
    # then its KeyError still becomes an answer naming the field
    body = _refused(_json(client, POSTMARK, payload), 400, "invalid_payload")
    assert body["errors"] == {"ContentType": ["This field is required."]}


# --- SendGrid -----------------------------------------------------------------------------------

SENDGRID = "/webhooks/email/sendgrid/inbound/"


def test_sendgrid_raw_message_lands_on_its_case(client, secrets_set, case):
    reply = reply_to(case, body="Danke!", attachments=(("a.png", "image/png", PNG),))
    response = client.post(
        SENDGRID,
        data={"email": reply.as_string(), "envelope": json.dumps({"from": "x@example.org",
                                                                  "to": [reply["To"]]})},
        HTTP_AUTHORIZATION=_basic(),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert case.messages.get().body == "Danke!"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"text": "Hello"}, ["headers"]),
        ({"email": "Subject: x\r\n\r\nx", "envelope": "{"}, ["envelope"]),
        ({"email": "Subject: x\r\n\r\nx", "envelope": '{"from": "a@example.org"}'},
         ["envelope.to"]),
        ({"headers": "Subject: x", "charsets": "[]"}, ["charsets"]),
        ({"headers": "Subject: x", "attachment-info": '{"attachment1": "a.png"}'},
         ["attachment-info.attachment1"]),
    ],
    ids=["no-message", "envelope-not-json", "envelope-without-to", "charsets-not-object",
         "attachment-info-not-objects"],
)  # fmt: skip
def test_sendgrid_wrong_fields_are_named(client, secrets_set, data, fields):
    response = client.post(SENDGRID, data=data, HTTP_AUTHORIZATION=_basic())
    body = _refused(response, 400, "invalid_payload")
    assert list(body["errors"]) == fields


def test_a_form_that_cannot_be_read_is_named_in_json(client, secrets_set):
    # given a multipart post without a boundary
    response = client.generic(
        "POST", SENDGRID, data=b"garbage", content_type="multipart/form-data",
        HTTP_AUTHORIZATION=_basic(),
    )  # fmt: skip
    # then the answer is the JSON error shape, naming the body
    body = _refused(response, 400, "invalid_payload")
    assert list(body["errors"]) == ["body"]


# --- SparkPost ----------------------------------------------------------------------------------

SPARKPOST = "/webhooks/email/sparkpost/inbound/"


def _relay(content: dict) -> list:
    return [{"msys": {"relay_message": {"protocol": "smtp", "content": content}}}]


def test_sparkpost_relay_message_lands_on_its_case(client, secrets_set, case):
    raw = base64.b64encode(reply_to(case, body="Merci !").as_bytes()).decode()
    payload = _relay({"email_rfc822": raw, "email_rfc822_is_base64": True})
    response = _json(client, SPARKPOST, payload)
    assert response.status_code == 200, response.content
    assert case.messages.get().body == "Merci !"


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"msys": {}}, ["body"]),
        ([{"msys": "relay"}], ["[0].msys"]),
        ([{"msys": {"relay_message": {"protocol": "smtp"}}}], ["[0].msys.relay_message.content"]),
        (
            _relay({"email_rfc822_is_base64": False}),
            ["[0].msys.relay_message.content.email_rfc822"],
        ),
        (
            _relay({"email_rfc822": "Subject: x\r\n\r\nx"}),
            ["[0].msys.relay_message.content.email_rfc822_is_base64"],
        ),
        (
            _relay({"email_rfc822": "%%%", "email_rfc822_is_base64": True}),
            ["[0].msys.relay_message.content.email_rfc822"],
        ),
    ],
    ids=["not-a-list", "msys-not-object", "no-content", "no-message", "no-flag", "not-base64"],
)
def test_sparkpost_wrong_fields_are_named(client, secrets_set, payload, fields):
    body = _refused(_json(client, SPARKPOST, payload), 400, "invalid_payload")
    assert list(body["errors"]) == fields


# --- Mailjet ------------------------------------------------------------------------------------

MAILJET = "/webhooks/email/mailjet/inbound/"


def test_mailjet_parse_api_post_lands_on_its_case(client, secrets_set, case):
    reply = reply_to(case)
    payload = {
        "Sender": case.customer.email,
        "Recipient": reply["To"],
        "Headers": {name: str(value) for name, value in reply.items()},
        "Text-part": "Gracias.",
        "Parts": [
            {"ContentRef": "Text-part", "Headers": {"Content-Type": "text/plain"}},
            {
                "ContentRef": "Attachment1",
                "Headers": {"Content-Type": 'image/png; name="a.png"',
                            "Content-Disposition": 'attachment; filename="a.png"'},
            },
        ],
        "Attachment1": base64.b64encode(PNG).decode(),
    }  # fmt: skip
    response = _json(client, MAILJET, payload)
    assert response.status_code == 200, response.content
    message = case.messages.get()
    assert message.body == "Gracias."
    assert [a.filename for a in message.attachments.all()] == ["a.png"]


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ([], ["body"]),
        ({"Headers": ["From: a@example.org"]}, ["Headers"]),
        ({"Headers": {"Received": ["a", 1]}}, ["Headers.Received"]),
        ({"Parts": [{"ContentRef": "Attachment1"}]}, ["Attachment1"]),
        ({"Parts": [{"ContentRef": "Attachment1"}], "Attachment1": "%%%"}, ["Attachment1"]),
        ({"Parts": ["Text-part"]}, ["Parts[0]"]),
    ],
    ids=[
        "not-an-object",
        "headers-not-object",
        "header-not-text",
        "attachment-missing",
        "attachment-not-base64",
        "part-not-object",
    ],
)
def test_mailjet_wrong_fields_are_named(client, secrets_set, payload, fields):
    body = _refused(_json(client, MAILJET, payload), 400, "invalid_payload")
    assert list(body["errors"]) == fields
