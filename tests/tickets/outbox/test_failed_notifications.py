"""GET /agent/notifications/failed/ and POST /agent/notifications/<id>/retry/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.tickets.factories import CaseFactory, CustomerFactory, NotificationFactory, UserFactory
from tickets.models import CaseEvent, Notification
from tickets.services.delivery import HELD_NOT_FOUND
from tickets.services.sms_consent import sms_consent_withdraw
from tickets.services.timeline import Verb

pytestmark = pytest.mark.django_db

URL = "/agent/notifications/failed/"
S = Notification.Status


def _retry_url(notification) -> str:
    return f"/agent/notifications/{notification.pk}/retry/"


def _failed(last_error="SMTP 550: b'5.1.1 mailbox unavailable'", attempts=1, **kwargs):
    notification = NotificationFactory(**kwargs)
    Notification.objects.filter(pk=notification.pk).update(
        status=S.FAILED, attempts=attempts, last_error=last_error
    )
    notification.refresh_from_db()
    return notification


# --- the list ---------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/agent/login/?next={URL}"


def test_users_without_a_role_are_forbidden(client):
    client.force_login(UserFactory(username="visitor"))
    assert client.get(URL).status_code == 403


def test_agents_see_failed_rows_with_what_went_wrong(agent_client):
    # given a failed email, a failed text and rows that did not fail
    email = _failed(attempts=8)
    sms = _failed(sms=True, last_error="Twilio 400 (21211): The 'To' number is not valid.")
    NotificationFactory()
    sent = NotificationFactory()
    Notification.objects.filter(pk=sent.pk).update(status=S.SENT)
    # when an agent opens the page
    response = agent_client.get(URL)
    # then only the failed rows are listed, newest first
    assert response.status_code == 200
    assert list(response.context["page"]) == [sms, email]
    # with recipient, case number, last error and attempts
    content = response.content.decode()
    for notification in (email, sms):
        assert notification.recipient in content
        assert notification.case.number in content
        assert _retry_url(notification) in content
    assert "SMTP 550: b&#x27;5.1.1 mailbox unavailable&#x27;" in content
    assert "Twilio 400 (21211): The &#x27;To&#x27; number is not valid." in content
    assert "<td>8</td>" in content


def test_the_reason_for_a_stop_is_shown(agent_client):
    customer = CustomerFactory(sms_consent=True)
    NotificationFactory(sms=True, case=CaseFactory(customer=customer))
    sms_consent_withdraw(phone=customer.phone, source="twilio")
    assert "The customer replied STOP." in agent_client.get(URL).content.decode()


def test_without_failures_the_page_says_so(agent_client):
    NotificationFactory()
    assert "No failed notifications." in agent_client.get(URL).content.decode()


def test_the_query_count_does_not_grow_with_the_page(agent_client, django_assert_num_queries):
    _failed()
    _failed(sms=True)
    agent_client.get(URL)  # warm-up: the permissions kept, as at a worker's next request
    with CaptureQueriesContext(connection) as few:
        assert agent_client.get(URL).status_code == 200
    for _ in range(30):
        _failed()
        _failed(sms=True)
    with django_assert_num_queries(len(few)):
        response = agent_client.get(URL)
    assert len(response.context["page"]) == 50


# --- retry ------------------------------------------------------------------------------------


def test_retry_queues_the_row_again_and_says_so(agent_client, django_capture_on_commit_callbacks):
    # given a failed email
    notification = _failed(attempts=8)
    # when the agent presses "Send again"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = agent_client.post(_retry_url(notification))
    # then they are back on the list with a message
    assert response.status_code == 302
    assert response["Location"] == URL
    page = agent_client.get(URL).content.decode()
    assert f"The message to {notification.recipient} is queued to be sent again." in page
    # and the row is pending with fresh attempts, its delivery queued after commit
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (S.PENDING, 0)
    assert len(callbacks) == 1


def test_a_retried_email_is_delivered(agent_client, mailoutbox, django_capture_on_commit_callbacks):
    notification = _failed()
    with django_capture_on_commit_callbacks(execute=True):
        agent_client.post(_retry_url(notification))
    notification.refresh_from_db()
    assert notification.status == S.SENT
    assert [message.to for message in mailoutbox] == [[notification.recipient]]


def test_retry_by_get_is_not_allowed(agent_client, django_capture_on_commit_callbacks):
    notification = _failed()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = agent_client.get(_retry_url(notification))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.status == S.FAILED
    assert callbacks == []


def test_retry_needs_the_permissions(client):
    notification = _failed()
    client.force_login(UserFactory(username="visitor"))
    assert client.post(_retry_url(notification)).status_code == 403
    notification.refresh_from_db()
    assert notification.status == S.FAILED


def test_retry_of_an_unknown_row_is_a_404(agent_client):
    assert agent_client.post("/agent/notifications/999999/retry/").status_code == 404


def test_a_text_to_a_customer_who_replied_stop_is_not_sent_again(
    agent_client, django_capture_on_commit_callbacks
):
    # given a failed text whose customer has since replied STOP
    customer = CustomerFactory(sms_consent=True)
    notification = _failed(sms=True, case=CaseFactory(customer=customer))
    sms_consent_withdraw(phone=customer.phone, source="twilio")
    # when an agent presses "Send again"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = agent_client.post(_retry_url(notification), follow=True)
    # then it is refused with the reason, and the row stays failed
    assert "they replied STOP" in response.content.decode()
    notification.refresh_from_db()
    assert notification.status == S.FAILED
    assert callbacks == []


def test_retry_of_a_row_that_did_not_fail_changes_nothing(agent_client):
    notification = NotificationFactory()
    Notification.objects.filter(pk=notification.pk).update(status=S.SENT)
    response = agent_client.post(_retry_url(notification), follow=True)
    assert "nothing to retry" in response.content.decode()
    notification.refresh_from_db()
    assert notification.status == S.SENT


# --- held texts -------------------------------------------------------------------------------


def _held(**kwargs):
    notification = NotificationFactory(sms=True, **kwargs)
    Notification.objects.filter(pk=notification.pk).update(
        status=S.HELD, attempts=2, last_error=HELD_NOT_FOUND, unconfirmed_at=timezone.now()
    )
    notification.refresh_from_db()
    return notification


def test_a_held_text_is_listed_with_its_reason_and_a_send_anyway_button(agent_client):
    # given a text held because nobody can tell whether it went
    notification = _held()
    # when an agent opens the page
    response = agent_client.get(URL)
    # then it is listed, marked held, with the reason and a button saying what it does
    assert list(response.context["page"]) == [notification]
    content = response.content.decode()
    assert "Held: it may already have been sent." in content
    assert "the SMS provider&#x27;s log does not show it" in content
    assert f"Send anyway to {notification.recipient}" in content
    assert 'name="anyway" value="1"' in content
    # and the dashboard counts it among what needs attention
    assert agent_client.get("/agent/").context["failed_count"] == 1


def test_a_held_text_is_not_sent_without_the_deliberate_send_anyway(
    agent_client, django_capture_on_commit_callbacks
):
    # given a held text
    notification = _held()
    # when a plain "Send again" is posted for it
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = agent_client.post(_retry_url(notification), follow=True)
    # then it is refused, saying why, and nothing is queued
    assert "may already have reached the customer" in response.content.decode()
    notification.refresh_from_db()
    assert notification.status == S.HELD
    assert callbacks == []


def test_send_anyway_sends_a_held_text_and_records_who(
    daytime, agent_client, agent_user, django_capture_on_commit_callbacks, sms_outbox
):
    # (the clock moves before the agent signs in: a session does not outlive a jump in time)
    # given a held text, in the customer's afternoon
    notification = _held()
    # when an agent presses "Send anyway"
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(_retry_url(notification), {"anyway": "1"}, follow=True)
    # then it is sent, with no further look-up
    assert "is queued to be sent again" in response.content.decode()
    notification.refresh_from_db()
    assert (notification.status, notification.unconfirmed_at) == (S.SENT, None)
    assert len(sms_outbox) == 1
    # and the row and the case's timeline say who decided
    assert notification.retried_by == agent_user
    [event] = CaseEvent.objects.filter(case=notification.case, verb=Verb.NOTIFICATION_RETRIED)
    assert (event.actor, event.data["previous"]) == (agent_user, S.HELD)
