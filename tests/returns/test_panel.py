"""The return panel of the case workspace: the RMA, its lines with their right and deadline,
the customer's return history, and approve and reject."""

import pytest

from returns.models import ReturnRequest
from returns.services.claims import LineClaim, return_request_submit
from tickets.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(line, policy):
    policy.auto_approve_max_value = None
    policy.save()
    return return_request_submit(
        order=line.order,
        kind="return",
        lines=[LineClaim(order_line_id=line.pk, quantity=1, reason_code="doesnt_fit")],
        preferred_outcome="refund",
        channel=Case.Channel.PORTAL,
    )


@pytest.fixture
def agent_in(waiting, client, agent_user):
    """Signed in after the clock moved to the claim's day (sessions expire)."""
    client.force_login(agent_user)
    return client


def test_the_panel_shows_the_rma_lines_history_and_the_decisions(agent_in, waiting):
    page = agent_in.get(f"/agent/cases/{waiting.case.number}/").content.decode()

    assert waiting.rma in page
    assert "Doesn&#x27;t fit" in page or "Doesn't fit" in page
    assert "Return window" in page
    history = " ".join(page.split("returns</h4>")[1].split("</small>")[0].split())
    assert history.endswith("Orders: 1 · Return requests: 1 · Rejected: 0")
    assert f"/agent/returns/{waiting.pk}/approve/" in page
    assert f"/agent/returns/{waiting.pk}/reject/" in page


def test_an_agent_approves_from_the_panel(agent_in, waiting):
    response = agent_in.post(f"/agent/returns/{waiting.pk}/approve/")

    assert response.status_code == 303
    waiting.refresh_from_db()
    assert waiting.status == ReturnRequest.Status.APPROVED
    page = agent_in.get(f"/agent/cases/{waiting.case.number}/").content.decode()
    assert f"/agent/returns/{waiting.pk}/approve/" not in page


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(agent_in, waiting):
    response = agent_in.post(f"/agent/returns/{waiting.pk}/reject/", {"reason": " "})

    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.status == ReturnRequest.Status.REQUESTED

    done = agent_in.post(f"/agent/returns/{waiting.pk}/reject/", {"reason": "Worn."})
    assert done.status_code == 303
    waiting.refresh_from_db()
    assert waiting.status == ReturnRequest.Status.REJECTED
    assert agent_in.post(f"/agent/returns/{waiting.pk}/approve/").status_code == 409


def test_approved_without_an_address_the_agent_issues_the_label(agent_in, waiting):
    agent_in.post(f"/agent/returns/{waiting.pk}/approve/")
    page = agent_in.get(f"/agent/cases/{waiting.case.number}/").content.decode()
    assert f"/agent/returns/{waiting.pk}/label/" in page
    url = f"/agent/returns/{waiting.pk}/label/"
    address = {"name": "Lena", "line1": "Hauptstr. 1", "postcode": "04107", "city": "Leipzig"}
    response = agent_in.post(url, {**address, "country": "ZZ"})
    assert response.status_code == 400
    response = agent_in.post(url, {**address, "country": "DE"})
    assert response.status_code == 303
    waiting.refresh_from_db()
    assert waiting.status == ReturnRequest.Status.LABEL_ISSUED
    page = agent_in.get(f"/agent/cases/{waiting.case.number}/").content.decode()
    assert "Prepaid label" in page and "?size=4x6" in page
    assert agent_in.post(url, {**address, "country": "DE"}).status_code == 409
