"""sms_consent_withdraw and the consent check on retrying a failed text."""

import pytest

from tests.tickets.factories import CaseFactory, CustomerFactory, NotificationFactory
from tickets.models import Case, CaseEvent, Customer, Notification
from tickets.services import delivery
from tickets.services.redelivery import notification_retry
from tickets.services.sms_consent import (
    NO_CONSENT_REASON,
    SmsConsentWithdrawn,
    sms_consent_withdraw,
)

pytestmark = pytest.mark.django_db

PHONE = "+4915112345678"
S, C = Notification.Status, Case.Status


def _events(case):
    return list(CaseEvent.objects.filter(case=case, verb="sms_consent_withdrawn"))


def test_withdrawing_records_an_event_on_every_active_case_only():
    # given a customer with two active cases and a closed one
    customer = CustomerFactory(phone=PHONE, sms_consent=True)
    open_case = CaseFactory(customer=customer, status=C.OPEN)
    waiting = CaseFactory(customer=customer, status=C.WAITING_ON_RETURN)
    closed = CaseFactory(customer=customer, status=C.CLOSED)
    # when they withdraw consent
    result = sms_consent_withdraw(phone=PHONE, source="twilio")
    # then the active cases say so and the closed one is left alone
    assert (result.customers, result.notifications) == (1, 0)
    assert len(_events(open_case)) == len(_events(waiting)) == 1
    assert _events(closed) == []


def test_without_an_active_case_the_latest_case_gets_the_event():
    customer = CustomerFactory(phone=PHONE, sms_consent=True)
    older = CaseFactory(customer=customer, status=C.CLOSED)
    latest = CaseFactory(customer=customer, status=C.RESOLVED)
    sms_consent_withdraw(phone=PHONE, source="twilio")
    assert _events(older) == []
    assert len(_events(latest)) == 1


def test_a_customer_without_cases_still_stops_getting_texts():
    customer = CustomerFactory(phone=PHONE, sms_consent=True)
    result = sms_consent_withdraw(phone=PHONE, source="twilio")
    customer.refresh_from_db()
    assert customer.sms_consent is False
    assert result.customers == 1
    assert not CaseEvent.objects.exists()


def test_a_second_stop_changes_nothing_more():
    # given a customer who already replied STOP
    customer = CustomerFactory(phone=PHONE, sms_consent=True)
    case = CaseFactory(customer=customer, status=C.OPEN)
    sms_consent_withdraw(phone=PHONE, source="twilio")
    # when STOP arrives again
    result = sms_consent_withdraw(phone=PHONE, source="twilio")
    # then nobody's consent changes and no second event is written
    assert (result.customers, result.notifications) == (0, 0)
    assert len(_events(case)) == 1


def test_pending_texts_to_the_number_fail_even_without_a_matching_customer():
    # given a text queued before its customer changed their number
    notification = NotificationFactory(sms=True, recipient=PHONE)
    Customer.objects.filter(pk=notification.customer_id).update(phone="+4915112345679")
    # when the old number replies STOP
    result = sms_consent_withdraw(phone=PHONE, source="twilio")
    # then the text is not sent
    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (
        S.FAILED,
        "The customer replied STOP.",
    )
    assert result.notifications == 1


def test_a_blank_number_changes_nothing():
    # given a customer without a phone (who somehow has consent on)
    customer = CustomerFactory(phone="", sms_consent=True)
    # when a withdrawal comes without a sender number
    result = sms_consent_withdraw(phone="  ", source="twilio")
    # then nobody is touched
    customer.refresh_from_db()
    assert customer.sms_consent is True
    assert (result.customers, result.notifications) == (0, 0)


# --- STOP and a text being sent ------------------------------------------------------------


def test_stop_fails_held_texts_too():
    # given a text held for a person (nobody knows whether it went)
    notification = NotificationFactory(sms=True, recipient=PHONE)
    Notification.objects.filter(pk=notification.pk).update(status=S.HELD)
    # when STOP arrives
    result = sms_consent_withdraw(phone=PHONE, source="twilio")
    # then nobody can send it anyway any more
    notification.refresh_from_db()
    assert (notification.status, result.notifications) == (S.FAILED, 1)


def test_stop_leaves_a_text_a_worker_is_sending_to_that_worker():
    # given a text a worker has claimed and is sending right now
    notification = NotificationFactory(sms=True, recipient=PHONE)
    claimed = delivery._claim(notification.pk)
    assert claimed is not None
    # when STOP arrives
    result = sms_consent_withdraw(phone=PHONE, source="twilio")
    # then the row is left to the worker (which checks consent itself before sending)
    notification.refresh_from_db()
    assert (notification.status, result.notifications) == (S.PENDING, 0)


def test_a_stop_that_arrives_after_the_claim_stops_the_send(monkeypatch, sms_outbox):
    # given a pending text to a customer who agreed to SMS
    notification = NotificationFactory(sms=True)
    phone = notification.recipient
    claim = delivery._claim

    def claim_then_stop(notification_id):
        claimed = claim(notification_id)
        # STOP arrives while the worker holds the claim, before the text goes out
        sms_consent_withdraw(phone=phone, source="twilio")
        return claimed

    monkeypatch.setattr(delivery, "_claim", claim_then_stop)
    # when the worker delivers it
    outcome = delivery.notification_deliver(notification_id=notification.pk)
    # then the consent check under the claim stops it: nothing is sent
    assert outcome.status == "failed"
    assert sms_outbox == []
    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == (S.FAILED, NO_CONSENT_REASON)
    assert notification.claimed_until is None


def test_a_text_whose_customer_lost_consent_otherwise_is_not_sent(sms_outbox):
    # given a pending text whose customer's consent was turned off (not by a STOP)
    notification = NotificationFactory(sms=True)
    Customer.objects.filter(pk=notification.customer_id).update(sms_consent=False)
    # when a worker delivers it, nothing goes out
    assert delivery.notification_deliver(notification_id=notification.pk).status == "failed"
    assert sms_outbox == []


# --- retrying a failed notification -----------------------------------------------------------


def _failed(**kwargs):
    notification = NotificationFactory(**kwargs)
    Notification.objects.filter(pk=notification.pk).update(
        status=S.FAILED, attempts=8, last_error="Twilio 500 (500): Unable to create record"
    )
    notification.refresh_from_db()
    return notification


def test_a_failed_text_to_a_consenting_customer_is_retried(
    agent_user, django_capture_on_commit_callbacks, daytime
):
    notification = _failed(sms=True, case=CaseFactory(customer__sms_consent=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        retried = notification_retry(notification=notification, actor=agent_user)
    assert (retried.status, retried.attempts) == (S.PENDING, 0)
    assert len(callbacks) == 1


def test_a_failed_text_to_a_customer_who_replied_stop_is_not_retried(
    agent_user, django_capture_on_commit_callbacks
):
    # given a failed text whose customer replied STOP since
    notification = _failed(sms=True, case=CaseFactory(customer__sms_consent=False))
    # when an agent retries it
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(SmsConsentWithdrawn),
    ):
        notification_retry(notification=notification, actor=agent_user)
    # then it stays failed and nothing is queued
    notification.refresh_from_db()
    assert notification.status == S.FAILED
    assert callbacks == []


def test_a_failed_email_is_retried_whatever_the_sms_consent(
    agent_user, django_capture_on_commit_callbacks
):
    notification = _failed(case=CaseFactory(customer__sms_consent=False))
    with django_capture_on_commit_callbacks(execute=False):
        retried = notification_retry(notification=notification, actor=agent_user)
    assert retried.status == S.PENDING
