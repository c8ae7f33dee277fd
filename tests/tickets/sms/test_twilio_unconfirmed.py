"""A text Twilio may have taken without answering is never sent again blindly: it is looked up
in Twilio's log (Messages list, by To and DateSent) first; found, it is marked sent with its
SID; not found or not readable, it is held for a person, who may send it anyway."""

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from tests.tickets.factories import NotificationFactory
from tickets.models import CaseEvent, Notification
from tickets.services import delivery, redelivery
from tickets.services.timeline import Verb
from tickets.sms import SMS, get_backend

pytestmark = pytest.mark.django_db

S = Notification.Status


@pytest.fixture
def slow_twilio(twilio_settings, fake_twilio):
    """Twilio answers only after the client's timeout (0.3 s)."""
    twilio_settings.TWILIO_TIMEOUT = 0.3
    fake_twilio.create_delay = 1.0
    return fake_twilio


def _later(time_machine, minutes=2):
    time_machine.move_to(timezone.now() + timedelta(minutes=minutes))


def _deliver(row):
    outcome = delivery.notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    return outcome


def test_a_text_twilio_took_without_answering_is_found_in_its_log_and_not_sent_again(
    slow_twilio, time_machine
):
    # given a pending text, and Twilio answering only after the client gave up
    row = NotificationFactory(sms=True)
    # when a worker sends it
    outcome = _deliver(row)
    # then Twilio has it, but the row stays pending, unconfirmed, for a look-up later
    assert outcome.status == "retry"
    assert len(slow_twilio.creates) == 1
    assert (row.status, row.provider_id) == (S.PENDING, "")
    assert row.unconfirmed_at is not None
    assert "did not answer within 0.3 s" in row.last_error
    [event] = CaseEvent.objects.filter(case=row.case, verb=Verb.NOTIFICATION_UNCONFIRMED)
    assert event.data["next"] == "check_with_provider"
    since = row.unconfirmed_at - delivery.RECONCILE_MARGIN
    # when the retry comes due
    _later(time_machine)
    outcome = _deliver(row)
    # then Twilio's log is read, by number and day, and the text is marked sent with its SID
    assert outcome.status == "sent"
    [lookup] = slow_twilio.lists
    assert lookup.form["To"] == row.recipient
    assert lookup.form["DateSent>"] == f"{since.astimezone(UTC):%Y-%m-%d}"
    assert (row.status, row.provider_id) == (S.SENT, slow_twilio.messages[0]["sid"])
    assert row.unconfirmed_at is None
    # and nothing was sent twice
    assert len(slow_twilio.creates) == 1


def test_a_text_not_in_twilios_log_is_held_for_a_person(slow_twilio, time_machine):
    # given a text whose request Twilio never got (no answer, no message)
    slow_twilio.lose_next_create = True
    row = NotificationFactory(sms=True)
    assert _deliver(row).status == "retry"
    # when the retry comes due
    _later(time_machine)
    outcome = _deliver(row)
    # then it is held, saying why and what to do, and the timeline says so
    assert outcome.status == "held"
    assert row.status == S.HELD
    assert row.last_error == delivery.HELD_NOT_FOUND
    [event] = CaseEvent.objects.filter(case=row.case, verb=Verb.NOTIFICATION_HELD)
    assert event.data["reason"] == delivery.HELD_NOT_FOUND
    # and it is neither sent nor swept again
    _later(time_machine, minutes=30)
    assert redelivery.notifications_sweep() == []
    assert _deliver(row).status == "skipped"
    assert len(slow_twilio.creates) == 1


def test_a_log_that_cannot_be_read_holds_the_text(slow_twilio, time_machine):
    # given an unconfirmed text, and Twilio's log not answering either
    row = NotificationFactory(sms=True)
    assert _deliver(row).status == "retry"
    slow_twilio.list_delay = 1.0
    # when the retry comes due
    _later(time_machine)
    # then it is held: nobody can tell whether it went
    assert _deliver(row).status == "held"
    assert row.last_error == delivery.HELD_UNCHECKED
    assert len(slow_twilio.creates) == 1


def test_a_text_recorded_for_another_notification_is_not_taken_for_this_one(
    slow_twilio, time_machine, twilio_settings
):
    # given an earlier text with the very same words to the same number, sent and recorded
    slow_twilio.create_delay = 0
    first = NotificationFactory(sms=True)
    assert _deliver(first).status == "sent"
    # and this one's request lost
    second = NotificationFactory(sms=True, case=first.case)
    slow_twilio.lose_next_create = True
    slow_twilio.create_delay = 1.0
    assert _deliver(second).status == "retry"
    # when the look-up finds only the first one's message
    _later(time_machine)
    # then this text is held, not marked with the other's SID
    assert _deliver(second).status == "held"
    assert second.provider_id == ""


def test_a_text_whose_worker_died_mid_send_is_looked_up_first(twilio_settings, fake_twilio):
    # given a text a killed worker had handed to Twilio (its lease ran out, no outcome written)
    row = NotificationFactory(sms=True, attempts=1)
    sid = get_backend().send(SMS(to=row.recipient, body=row.body))
    Notification.objects.filter(pk=row.pk).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    # when another worker takes it
    outcome = _deliver(row)
    # then it finds it in Twilio's log and marks it sent, without a second create
    assert outcome.status == "sent"
    assert row.provider_id == sid
    assert len(fake_twilio.creates) == 1
    [event] = CaseEvent.objects.filter(case=row.case, verb=Verb.NOTIFICATION_UNCONFIRMED)
    assert event.data["next"] == "check_with_provider"


def test_a_refused_connection_is_not_unconfirmed(twilio_unreachable):
    # nothing went out: an ordinary transient failure, sent again without a look-up
    row = NotificationFactory(sms=True)
    assert _deliver(row).status == "retry"
    assert row.unconfirmed_at is None
