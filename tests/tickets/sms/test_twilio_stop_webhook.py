"""POST /webhooks/twilio/sms/: Twilio's incoming-message webhook, signed as Twilio signs it."""

import pytest
from django.test import Client
from django.urls import reverse
from twilio.request_validator import RequestValidator

from tests.tickets.factories import CaseFactory, CustomerFactory, NotificationFactory
from tests.tickets.sms.conftest import ACCOUNT_SID, AUTH_TOKEN
from tickets.models import Case, CaseEvent, Customer, Notification

pytestmark = pytest.mark.django_db

URL = "/webhooks/twilio/sms/"
SITE_URL = "https://support.shop.example"
PHONE = "+4915112345678"
TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'
S = Notification.Status


@pytest.fixture
def twilio_webhook(settings):
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.SITE_URL = SITE_URL


def _params(body: str, sender: str = PHONE, **extra: str) -> dict[str, str]:
    """The fields Twilio posts for an incoming SMS."""
    return {
        "ToCountry": "US",
        "SmsMessageSid": "SM" + "a" * 32,
        "NumMedia": "0",
        "SmsSid": "SM" + "a" * 32,
        "SmsStatus": "received",
        "Body": body,
        "To": "+15005550006",
        "NumSegments": "1",
        "MessageSid": "SM" + "a" * 32,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
        **extra,
    }


def _post(client, params, *, path=URL, signed_url=None, token=AUTH_TOKEN, signature=None):
    """POST `params` as Twilio does: form-encoded, signed over the public URL (SITE_URL + path)
    unless another `signed_url` or `signature` is given."""
    if signature is None:
        signature = RequestValidator(token).compute_signature(signed_url or SITE_URL + path, params)
    return client.post(path, params, headers={"X-Twilio-Signature": signature})


@pytest.fixture
def opted_in():
    """A customer who agreed to SMS, with an open case and texts in every state."""
    customer = CustomerFactory(phone=PHONE, sms_consent=True)
    case = CaseFactory(customer=customer, status=Case.Status.OPEN)
    pending = NotificationFactory(case=case, sms=True)
    sent = NotificationFactory(case=case, sms=True)
    Notification.objects.filter(pk=sent.pk).update(status=S.SENT, provider_id="SM1")
    email = NotificationFactory(case=case)
    return customer, case, pending, sent, email


def _states():
    return (
        sorted(Customer.objects.values_list("pk", "sms_consent")),
        sorted(Notification.objects.values_list("pk", "status", "last_error")),
        CaseEvent.objects.count(),
    )


def test_the_url_is_named():
    assert reverse("webhooks:twilio-sms") == URL


@pytest.mark.usefixtures("twilio_webhook")
def test_stop_withdraws_consent_and_cancels_pending_texts(opted_in):
    customer, case, pending, sent, email = opted_in
    # when the customer replies STOP, and Twilio (which enforces no CSRF) forwards it
    response = _post(Client(enforce_csrf_checks=True), _params("STOP"))
    # then Twilio gets empty TwiML: no reply of ours
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml"
    assert response.content.decode() == TWIML
    # and the customer no longer agrees to SMS
    customer.refresh_from_db()
    assert customer.sms_consent is False
    # and the pending text will never go out, saying why
    pending.refresh_from_db()
    assert (pending.status, pending.last_error) == (S.FAILED, "The customer replied STOP.")
    # and what was sent, and the email, are left alone
    sent.refresh_from_db()
    email.refresh_from_db()
    assert sent.status == S.SENT
    assert email.status == S.PENDING
    # and the open case's timeline says so
    event = CaseEvent.objects.get(case=case, verb="sms_consent_withdrawn")
    assert event.actor is None
    assert event.data == {"source": "twilio", "cancelled_notifications": 1}


@pytest.mark.usefixtures("twilio_webhook")
@pytest.mark.parametrize(
    "body",
    ["STOP", "stop", "  Stop \n", "STOPALL", "unsubscribe", "Cancel", "END", "quit", "REVOKE",
     "optout"],
)  # fmt: skip
def test_every_standard_opt_out_keyword_withdraws(client, opted_in, body):
    customer = opted_in[0]
    assert _post(client, _params(body)).status_code == 200
    customer.refresh_from_db()
    assert customer.sms_consent is False


@pytest.mark.usefixtures("twilio_webhook")
def test_an_advanced_opt_out_in_another_language_withdraws(client, opted_in):
    # given Twilio's Advanced Opt-Out classified a German keyword as an opt-out
    response = _post(client, _params("STOPP", OptOutType="STOP"))
    # then it counts as STOP
    assert response.status_code == 200
    customer = opted_in[0]
    customer.refresh_from_db()
    assert customer.sms_consent is False


@pytest.mark.usefixtures("twilio_webhook")
@pytest.mark.parametrize(
    "body", ["Hello, where is my parcel?", "Stop sending me the wrong size!", "START", "HELP", ""]
)
def test_any_other_text_is_acknowledged_and_changes_nothing(client, opted_in, body):
    before = _states()
    response = _post(client, _params(body))
    assert response.status_code == 200
    assert response.content.decode() == TWIML
    assert _states() == before


@pytest.mark.usefixtures("twilio_webhook")
def test_stop_withdraws_every_customer_with_that_number(client):
    # given two customers (two shop accounts) sharing one phone, and one with another number
    first, second = CustomerFactory.create_batch(2, phone=PHONE, sms_consent=True)
    other = CustomerFactory(phone="+4915112345679", sms_consent=True)
    # when STOP comes from the shared number
    _post(client, _params("STOP"))
    # then both stop getting texts and the other customer still does
    assert set(Customer.objects.filter(sms_consent=False)) == {first, second}
    other.refresh_from_db()
    assert other.sms_consent is True


@pytest.mark.usefixtures("twilio_webhook")
def test_stop_from_an_unknown_number_changes_nothing(client, opted_in):
    before = _states()
    response = _post(client, _params("STOP", sender="+4915199999999"))
    assert response.status_code == 200
    assert _states() == before


@pytest.mark.usefixtures("twilio_webhook")
def test_the_query_string_is_part_of_the_signed_url(client, opted_in):
    # given Twilio is configured with a URL that carries a query
    response = _post(client, _params("STOP"), path=f"{URL}?shop=eu")
    # then the signature over that full URL is accepted
    assert response.status_code == 200
    customer = opted_in[0]
    customer.refresh_from_db()
    assert customer.sms_consent is False


@pytest.mark.usefixtures("twilio_webhook")
@pytest.mark.parametrize(
    "how",
    ["missing", "wrong token", "other body", "internal url"],
)
def test_a_bad_signature_is_refused_and_changes_nothing(client, opted_in, how):
    before = _states()
    params = _params("STOP")
    if how == "missing":
        response = client.post(URL, params)
    elif how == "wrong token":
        response = _post(client, params, token="not-the-token")
    elif how == "other body":
        signature = RequestValidator(AUTH_TOKEN).compute_signature(SITE_URL + URL, _params("hi"))
        response = _post(client, params, signature=signature)
    else:
        # what request.build_absolute_uri() gives behind a proxy is not what Twilio signed
        response = _post(client, params, signed_url=f"http://testserver{URL}")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "The X-Twilio-Signature signature is missing or wrong.",
        "code": "invalid_signature",
    }
    assert _states() == before


def test_without_an_auth_token_every_request_is_refused(client, settings, opted_in, caplog):
    # given TWILIO_AUTH_TOKEN is not set (a signature made with the empty token)
    settings.TWILIO_AUTH_TOKEN = ""
    settings.SITE_URL = SITE_URL
    before = _states()
    signature = RequestValidator("").compute_signature(SITE_URL + URL, _params("STOP"))
    # when a request comes in
    response = _post(client, _params("STOP"), signature=signature)
    # then it is refused, and the log says why
    assert response.status_code == 401
    assert _states() == before
    assert "TWILIO_AUTH_TOKEN is not set" in caplog.text


@pytest.mark.usefixtures("twilio_webhook")
def test_get_is_not_allowed(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["code"] == "method_not_allowed"
