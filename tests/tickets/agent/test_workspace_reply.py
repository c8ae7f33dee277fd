"""The composer: a public reply goes to the customer, a note stays inside."""

import pytest

from tests.tickets.agent.workspace_urls import action_url, workspace_url
from tests.tickets.factories import CaseFactory
from tickets.models import Message, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(agent_user):
    """An open case of Alice's, with an order (EUR) and a customer in Berlin."""
    return CaseFactory(assignee=agent_user, status="open")


def test_a_public_reply_is_saved_and_the_customer_notified(agent_client, agent_user, open_case):
    # when Alice sends a reply (with a field the form does not know, like a macro)
    response = agent_client.post(
        action_url("reply", open_case) + "?status=open",
        {"body": "We send a new kettle.", "visibility": "public", "macro": "7"},
    )
    # then she is back on the case, with the list she came from
    assert response.status_code == 303
    assert response["Location"] == workspace_url(open_case, status="open")
    message = Message.objects.get(case=open_case)
    assert (message.body, message.visibility, message.author_user) == (
        "We send a new kettle.",
        "public",
        agent_user,
    )
    # and the customer is told by email; the page says so and shows it queued
    notification = Notification.objects.get(case=open_case, template="agent_reply")
    assert notification.channel == "email"
    page = agent_client.get(response["Location"]).content.decode()
    assert f"Reply sent to {open_case.customer.email} by email." in page
    assert "queued" in page or "sent" in page


def test_an_internal_note_tells_nobody(agent_client, open_case):
    response = agent_client.post(
        action_url("reply", open_case), {"body": "Serial checked.", "visibility": "internal"}
    )
    assert response.status_code == 303
    assert Message.objects.get(case=open_case).visibility == "internal"
    assert not Notification.objects.filter(case=open_case).exists()
    assert "Internal note saved." in agent_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_message_is_refused_next_to_the_field(agent_client, open_case, body):
    response = agent_client.post(
        action_url("reply", open_case), {"body": body, "visibility": "public"}
    )
    assert response.status_code == 400
    assert "Write something first." in response.content.decode()
    assert not Message.objects.filter(case=open_case).exists()


def test_a_refused_message_keeps_its_text(agent_client, open_case):
    text = "x" * 20_001
    response = agent_client.post(
        action_url("reply", open_case), {"body": text, "visibility": "public"}
    )
    assert response.status_code == 400
    assert text in response.content.decode()


def test_an_unknown_kind_of_message_is_refused(agent_client, open_case):
    response = agent_client.post(
        action_url("reply", open_case), {"body": "Hi", "visibility": "shout"}
    )
    assert response.status_code == 400
    assert "Choose a reply or an internal note." in response.content.decode()


def test_a_closed_case_takes_no_reply(agent_client, agent_user):
    case = CaseFactory(assignee=agent_user, status="closed")
    response = agent_client.post(action_url("reply", case), {"body": "Hi", "visibility": "public"})
    assert response.status_code == 400
    assert f"Case {case.number} is closed." in response.content.decode()


def test_replying_takes_a_post(agent_client, open_case):
    assert agent_client.get(action_url("reply", open_case)).status_code == 405


def test_a_hidden_case_takes_no_reply(agent_client, settings):
    settings.CASE_VISIBILITY = "own"
    hidden = CaseFactory()
    response = agent_client.post(
        action_url("reply", hidden), {"body": "Hi", "visibility": "public"}
    )
    assert response.status_code == 404
    assert not Message.objects.exists()
