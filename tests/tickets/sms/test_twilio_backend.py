"""TwilioBackend against a local server speaking Twilio's Messages API (see conftest)."""

import pytest

from tests.tickets.sms.conftest import ACCOUNT_SID, AUTH_TOKEN, FROM, MESSAGES_PATH, twilio_error
from tickets.sms import SMS, SMSError, TwilioBackend, get_backend

TO = "+4915112345678"
INVALID_TO = twilio_error(400, 21211, "The 'To' number +4915 is not a valid phone number.")


def _send(body: str = "Your case AS-ACDE-FGHJ is resolved.", to: str = TO) -> str:
    return get_backend().send(SMS(to=to, body=body))


def test_settings_choose_the_twilio_backend(twilio_settings):
    assert isinstance(get_backend(), TwilioBackend)


def test_a_message_is_sent_and_its_sid_returned(twilio_settings, fake_twilio):
    # when an SMS is sent
    sid = _send()
    # then Twilio's message SID comes back
    assert sid.startswith("SM")
    assert len(sid) == 34
    # and Twilio saw one authenticated create with the number, sender and text
    (request,) = fake_twilio.received
    assert request.path == MESSAGES_PATH
    assert request.basic_auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert request.form == {"To": TO, "From": FROM, "Body": "Your case AS-ACDE-FGHJ is resolved."}


def test_text_outside_gsm7_arrives_unchanged(twilio_settings, fake_twilio):
    _send("您的案件已解决 ✅")
    assert fake_twilio.received[0].form["Body"] == "您的案件已解决 ✅"


def test_a_messaging_service_sid_is_sent_as_messaging_service(twilio_settings, fake_twilio):
    # given TWILIO_FROM names a messaging service rather than a number
    twilio_settings.TWILIO_FROM = "MG" + "1" * 32
    # when an SMS is sent
    _send()
    # then Twilio picks the sender from the service
    form = fake_twilio.received[0].form
    assert form["MessagingServiceSid"] == "MG" + "1" * 32
    assert "From" not in form


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (429, twilio_error(429, 20429, "Too Many Requests")),
        (500, "<html><body>Internal Server Error</body></html>"),
        (503, twilio_error(503, 20503, "Service Unavailable")),
    ],
    ids=["429", "500", "503"],
)
def test_rate_limits_and_server_errors_are_worth_another_try(
    twilio_settings, fake_twilio, status, body
):
    # given Twilio answers with a rate limit or a server error
    fake_twilio.reply(status, body)
    # when an SMS is sent
    with pytest.raises(SMSError) as error:
        _send()
    # then the failure is transient and names the status
    assert error.value.permanent is False
    assert f"Twilio {status}" in str(error.value)


def test_an_invalid_to_number_is_a_permanent_failure(twilio_settings, fake_twilio):
    # given Twilio refuses the number (error 21211)
    fake_twilio.reply(400, INVALID_TO)
    # when an SMS is sent
    with pytest.raises(SMSError) as error:
        _send(to="+4915")
    # then it is never retried, and the reason says what Twilio said
    assert error.value.permanent is True
    assert "21211" in str(error.value)
    assert "is not a valid phone number" in str(error.value)


def test_a_problem_details_error_keeps_its_status(twilio_settings, fake_twilio):
    # given Twilio answers a 400 in the RFC 9457 shape its newer APIs use
    fake_twilio.reply(
        400,
        {
            "type": "https://www.twilio.com/docs/errors/21211",
            "title": "Invalid 'To' Phone Number",
            "status": 400,
            "code": 21211,
            "detail": "The 'To' number +4915 is not a valid phone number.",
        },
    )
    # when an SMS is sent
    with pytest.raises(SMSError) as error:
        _send(to="+4915")
    # then it is as permanent as the legacy shape
    assert error.value.permanent is True
    assert "21211" in str(error.value)
    assert "is not a valid phone number" in str(error.value)


def test_a_refused_connection_is_worth_another_try(twilio_unreachable):
    # when Twilio cannot be reached at all
    with pytest.raises(SMSError) as error:
        _send()
    # then the failure is transient
    assert error.value.permanent is False
    assert "Twilio unreachable" in str(error.value)
