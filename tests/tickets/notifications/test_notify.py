"""notify(): which channels, in whose transaction, once per key, and when an SMS may go."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from tests.tickets.factories import CustomerFactory
from tests.tickets.notifications.support import CASE_NUMBER, VALID_PHONE, a_case
from tickets.models import Case, Notification
from tickets.services import notifications
from tickets.services.notifications import message_id_for, notify

pytestmark = pytest.mark.django_db

EMAIL, SMS = Notification.Channel.EMAIL, Notification.Channel.SMS


class Boom(Exception):
    pass


def _notify(case, key="1", **kwargs):
    return notify(customer=case.customer, event="case_received", key=key, case=case, **kwargs)


def _channels(case):
    return sorted(case.notifications.values_list("channel", flat=True))


# --- channels ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consent", "phone", "channels"),
    [
        (True, VALID_PHONE, [EMAIL, SMS]),
        (False, VALID_PHONE, [EMAIL]),
        (True, "", [EMAIL]),
    ],
    ids=["consent-and-phone", "no-consent", "no-phone"],
)
def test_email_always_goes_and_sms_only_with_consent_and_a_phone(consent, phone, channels):
    # given a customer with or without SMS consent and a phone number
    case = a_case(CustomerFactory(sms_consent=consent, phone=phone))
    # when they are notified
    notify(customer=case.customer, event="case_received", key=case.number, case=case)
    # then email is always written and SMS only when both are there
    assert _channels(case) == channels


@pytest.mark.parametrize("phone", ["+4912", "0151 12345678"], ids=["not-a-number", "not-e164"])
def test_an_invalid_phone_gets_no_sms_and_a_warning(phone, caplog):
    # given a customer who agreed to SMS but whose stored phone is not a valid E.164 number
    case = a_case(CustomerFactory(sms_consent=True, phone=phone))
    # when they are notified
    _notify(case)
    # then only the email row is written and the bad number is logged
    assert _channels(case) == [EMAIL]
    assert "invalid phone number" in caplog.text
    assert any(record.levelname == "WARNING" for record in caplog.records)


# --- the caller's transaction ------------------------------------------------------------------


def test_a_rolled_back_change_leaves_no_row_and_enqueues_nothing(
    sms_customer, queued, django_capture_on_commit_callbacks
):
    # given a case
    case = a_case(sms_customer)
    # when the change that notifies fails after notify() ran
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(Boom), transaction.atomic():
        _notify(case)
        raise Boom
    # then no row survives and no delivery was queued
    assert not Notification.objects.exists()
    assert callbacks == []
    assert queued == []


def test_rows_are_written_at_once_and_delivery_is_queued_on_commit(
    sms_customer, queued, django_capture_on_commit_callbacks, time_machine
):
    # given the middle of the customer's day (no SMS quiet hours), and a case notified inside
    # the caller's transaction
    time_machine.move_to(datetime(2026, 3, 4, 13, 0, tzinfo=ZoneInfo(sms_customer.timezone)))
    case = a_case(sms_customer)
    capture = django_capture_on_commit_callbacks(execute=False)
    with capture as callbacks, transaction.atomic():
        rows = _notify(case)
        # then the rows are visible in that transaction, but nothing is queued yet
        assert Notification.objects.count() == 2
    assert queued == []
    # when the transaction commits
    for callback in callbacks:
        callback()
    # then each row is handed to the delivery task once
    assert sorted(queued) == sorted(row.pk for row in rows)


# --- once per event and key --------------------------------------------------------------------


def test_the_same_event_and_key_twice_make_one_row_per_channel(sms_customer):
    # given a customer already notified about an event
    case = a_case(sms_customer)
    first = _notify(case, key="event-7")
    # when the same event and key come again (a retried task, a double click)
    second = _notify(case, key="event-7")
    # then nothing new is written
    assert len(first) == 2
    assert second == []
    assert Notification.objects.count() == 2


def test_another_key_is_another_notification(sms_customer):
    case = a_case(sms_customer)
    _notify(case, key="event-7")
    _notify(case, key="event-8")
    assert Notification.objects.count() == 4


# --- Message-ID --------------------------------------------------------------------------------


def test_the_email_message_id_is_derived_from_the_idempotency_key(sms_customer):
    # given the rows of one notification
    rows = {row.channel: row for row in _notify(a_case(sms_customer), key="event-7")}
    email = rows[EMAIL]
    # then the email's Message-ID is the same every time it is computed for its key
    assert email.idempotency_key == "case_received:event-7:email"
    assert email.message_id == message_id_for(email.idempotency_key)
    assert email.message_id == message_id_for("case_received:event-7:email")
    assert email.message_id != message_id_for("case_received:event-8:email")
    assert email.message_id.startswith("<") and email.message_id.endswith("@reply.shop.example>")
    # and a text message has none
    assert rows[SMS].message_id == ""


# --- quiet hours -------------------------------------------------------------------------------


def test_an_sms_in_quiet_hours_waits_for_the_morning_and_email_goes_at_once(
    sms_customer, queued, monkeypatch, django_capture_on_commit_callbacks
):
    # given 22:30 in Berlin, within the customer's quiet hours (21:00-08:00)
    now = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)
    monkeypatch.setattr(notifications.timezone, "now", lambda: now)
    case = a_case(sms_customer, status=Case.Status.OPEN)
    # when the customer is notified and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        rows = {row.channel: row for row in _notify(case)}
    # then the email is due now and queued, the text waits for 08:00 Berlin time
    assert rows[EMAIL].next_attempt_at == now
    assert rows[SMS].next_attempt_at == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    assert queued == [rows[EMAIL].pk]
    assert CASE_NUMBER in rows[SMS].body
