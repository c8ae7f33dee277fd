"""Sending the customer a portal sign-in link from the workspace."""

import pytest

from tests.tickets.agent.workspace_urls import action_url
from tests.tickets.factories import CaseFactory
from tickets.models import Customer
from tickets.services import queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(agent_user):
    """An open case of Alice's, with an order (EUR) and a customer in Berlin."""
    return CaseFactory(assignee=agent_user, status="open")


def test_the_link_is_queued_and_the_agent_told(
    agent_client, agent_user, open_case, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(queue, "enqueue", lambda task, *args, **kw: sent.append((task, args)))
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(action_url("portal-link", open_case))
    assert response.status_code == 303
    assert sent == [
        (
            queue.PORTAL_LINK_SEND,
            (
                open_case.number,
                open_case.customer.email,
                None,
                f"/portal/cases/{open_case.number}/",
                agent_user.pk,
            ),
        )
    ]
    page = agent_client.get(response["Location"]).content.decode()
    assert f"emailed to {open_case.customer.email}" in page


def test_a_customer_without_email_gets_no_link(agent_client, open_case, monkeypatch):
    Customer.objects.filter(pk=open_case.customer_id).update(email="")
    monkeypatch.setattr(queue, "enqueue", lambda *args, **kw: pytest.fail("queued"))
    response = agent_client.post(action_url("portal-link", open_case), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][1] == 303
    assert 'class="flash flash-error"' in response.content.decode()
