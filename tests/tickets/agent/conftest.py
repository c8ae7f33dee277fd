import pytest
from django.urls import reverse

from tests.tickets.factories import CaseFactory


@pytest.fixture
def open_case(agent_user):
    """An open case of Alice's, with an order (EUR) and a customer in Berlin."""
    return CaseFactory(assignee=agent_user, status="open")


def workspace_url(case, **query):
    url = reverse("tickets:agent-case", args=[case.number])
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def action_url(name, case):
    return reverse(f"tickets:agent-case-{name}", args=[case.number])
