"""Which changes to a case tell the customer, and with which notification."""

import re

import pytest

from tests.tickets.notifications.support import a_case
from tickets.models import Case, Message, Notification
from tickets.services.cases import case_create, case_transition
from tickets.services.messages import message_add
from tickets.services.ratings import case_number_from_rating_token

pytestmark = pytest.mark.django_db

S, EMAIL, SMS = Case.Status, Notification.Channel.EMAIL, Notification.Channel.SMS
RATING_LINK = re.compile(r"https://support\.shop\.example/portal/rate/([^/\s\"]+)/([1-5])/")


def _written(case):
    return sorted(case.notifications.values_list("template", "channel"))


def _open(customer, **kwargs):
    return case_create(
        customer=customer,
        kind=Case.Kind.DEFECT,
        subject="Kettle does not heat",
        channel=Case.Channel.PORTAL,
        **kwargs,
    )


# --- a new case --------------------------------------------------------------------------------


def test_opening_a_case_tells_the_customer_by_email_and_sms(sms_customer):
    # given a customer who agreed to SMS
    # when they open a case describing the problem
    case = _open(sms_customer, description="It stays cold.")
    # then they hear that it was received, on both channels, and their own message adds nothing
    assert _written(case) == [("case_received", EMAIL), ("case_received", SMS)]


def test_opening_a_case_without_sms_consent_sends_email_only(email_only_customer):
    case = _open(email_only_customer)
    assert _written(case) == [("case_received", EMAIL)]


# --- messages ----------------------------------------------------------------------------------


def test_an_agents_public_reply_is_sent_to_the_customer(email_only_customer, agent_user):
    # given an open case
    case = a_case(email_only_customer, status=S.OPEN)
    # when an agent replies publicly
    message_add(
        case=case, body="A new kettle is on its way.", author_kind="agent", actor=agent_user
    )
    # then the customer gets the reply, quoted in the email
    email = case.notifications.get()
    assert (email.template, email.channel) == ("agent_reply", EMAIL)
    assert "A new kettle is on its way." in email.body
    assert "A new kettle is on its way." in email.body_html


@pytest.mark.parametrize(
    ("author", "visibility"),
    [("agent", Message.Visibility.INTERNAL), ("customer", Message.Visibility.PUBLIC)],
    ids=["internal-note", "customer-message"],
)
def test_internal_notes_and_the_customers_own_messages_send_nothing(
    sms_customer, agent_user, author, visibility
):
    # given an open case
    case = a_case(sms_customer, status=S.OPEN)
    # when an agent writes an internal note, or the customer writes
    actor = agent_user if author == "agent" else None
    message_add(
        case=case, body="Check stock.", author_kind=author, actor=actor, visibility=visibility
    )
    # then the customer is not notified
    assert _written(case) == []


# --- status moves ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status", [S.WAITING_ON_CUSTOMER, S.WAITING_ON_RETURN, S.WAITING_ON_CARRIER]
)
def test_waiting_moves_tell_the_customer(sms_customer, agent_user, status):
    # given an open case
    case = a_case(sms_customer, status=S.OPEN)
    # when an agent moves it to a waiting status
    case_transition(case=case, to=status, actor=agent_user)
    # then the customer hears about it on both channels
    assert _written(case) == [("case_status_changed", EMAIL), ("case_status_changed", SMS)]


@pytest.mark.parametrize(("start", "to"), [(S.NEW, S.OPEN), (S.WAITING_ON_CUSTOMER, S.OPEN)])
def test_internal_moves_send_nothing(sms_customer, agent_user, start, to):
    # given a case in `start`
    case = a_case(sms_customer, status=start)
    # when it moves to `to`
    case_transition(case=case, to=to, actor=agent_user)
    # then the customer is not notified
    assert _written(case) == []


def test_resolving_sends_five_one_click_rating_links(email_only_customer, agent_user):
    # given an open case
    case = a_case(email_only_customer, status=S.OPEN)
    # when an agent resolves it
    case_transition(case=case, to=S.RESOLVED, actor=agent_user)
    # then the email offers scores 1 to 5, each a link signed for this case
    email = case.notifications.get()
    assert (email.template, email.channel) == ("case_resolved", EMAIL)
    for body in (email.body, email.body_html):
        links = RATING_LINK.findall(body)
        assert sorted(score for _token, score in links) == ["1", "2", "3", "4", "5"]
        assert {case_number_from_rating_token(token) for token, _score in links} == {case.number}


def test_moving_twice_to_the_same_status_notifies_twice(email_only_customer, agent_user):
    # given a case that once waited on the customer and was reopened
    case = a_case(email_only_customer, status=S.OPEN)
    case = case_transition(case=case, to=S.WAITING_ON_CUSTOMER, actor=agent_user)
    case = case_transition(case=case, to=S.OPEN, actor=None)
    # when it waits on them again
    case_transition(case=case, to=S.WAITING_ON_CUSTOMER, actor=agent_user)
    # then that is a second notification, not a repeat of the first
    assert _written(case) == [("case_status_changed", EMAIL)] * 2
