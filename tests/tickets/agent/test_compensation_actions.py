"""Proposing a compensation from the workspace and moving it along the ledger."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.messages import get_messages

from tests.tickets.agent.compensation_support import usd_rate  # noqa: F401 (fixture)
from tests.tickets.factories import CaseFactory, ExchangeRateFactory, OrderFactory, agent
from tickets.models import Case, Compensation
from tickets.services.compensations import compensation_propose

pytestmark = pytest.mark.django_db


def propose_url(case):
    return f"/agent/cases/{case.number}/compensations/"


def move_url(compensation, action):
    return f"/agent/compensations/{compensation.pk}/{action}/"


def flashes(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def proposed(case, amount="150.00", actor=None):
    return compensation_propose(case=case, kind="refund", amount=Decimal(amount), actor=actor)


# --- proposing ---------------------------------------------------------------------------------


def test_a_proposal_within_the_limit_is_approved_at_once(agent_client, case, agent_user):
    # when the agent proposes 50 EUR
    response = agent_client.post(
        propose_url(case),
        {"kind": "refund", "amount": "50.00", "note": "Kettle dented", "next": "/agent/?x=1"},
    )
    # then it is approved at once and she is back where she was, told so
    assert response.status_code == 303
    assert response["Location"] == "/agent/?x=1"
    compensation = case.compensations.get()
    assert compensation.status == Compensation.Status.APPROVED
    assert compensation.amount == Decimal("50.00")
    assert compensation.note == "Kettle dented"
    assert compensation.proposed_by == compensation.approved_by == agent_user
    assert flashes(response) == ["Refund of €50.00 proposed and approved."]


def test_the_limit_itself_is_still_within_it(agent_client, case):
    agent_client.post(propose_url(case), {"kind": "refund", "amount": "100.00"})
    assert case.compensations.get().status == Compensation.Status.APPROVED


def test_a_proposal_above_the_limit_waits_for_a_supervisor(agent_client, case):
    response = agent_client.post(propose_url(case), {"kind": "store_credit", "amount": "100,01"})
    assert response.status_code == 303
    # without a `next` it goes back to the case page
    assert response["Location"] == f"/agent/cases/{case.number}/"
    compensation = case.compensations.get()
    assert compensation.status == Compensation.Status.PROPOSED
    assert compensation.needs_supervisor
    assert compensation.amount == Decimal("100.01")
    assert flashes(response) == ["Store credit of €100.01 proposed; it waits for a supervisor."]


@pytest.mark.usefixtures("usd_rate")
def test_the_amount_is_in_the_orders_currency_and_the_limit_in_the_base_one(agent_client):
    # given an order in USD, 1 USD = 0.9 EUR
    case = CaseFactory(order=OrderFactory(currency="USD"))
    # when 110 USD are proposed (99 EUR)
    agent_client.post(propose_url(case), {"kind": "refund", "amount": "110"})
    compensation = case.compensations.get()
    # then it is recorded in USD and within the limit
    assert (compensation.currency, compensation.base_amount) == ("USD", Decimal("99.00"))
    assert compensation.status == Compensation.Status.APPROVED


@pytest.mark.parametrize(
    ("amount", "says"),
    [
        ("-5", "The amount cannot be negative."),
        ("12.345", "EUR amounts have 2 decimal places."),
        ("abc", "Type the amount as a number, like 12.50."),
        ("1e3", "Type the amount as a number, like 12.50."),
        ("NaN", "Type the amount as a number, like 12.50."),
        ("1,234.50", "Type the amount as a number, like 12.50."),
        ("", "This field is required."),
        ("999999999999", "This amount is too large to record."),
    ],
)
def test_a_bad_amount_is_refused_and_nothing_is_recorded(agent_client, case, amount, says):
    response = agent_client.post(propose_url(case), {"kind": "refund", "amount": amount})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert "Nothing was changed" in response.content.decode()
    assert not case.compensations.exists()


def test_a_yen_amount_has_no_decimals(agent_client):
    ExchangeRateFactory(currency="JPY")
    case = CaseFactory(order=OrderFactory(currency="JPY"))
    response = agent_client.post(propose_url(case), {"kind": "refund", "amount": "100.5"})
    assert response.status_code == 400
    assert "JPY amounts have 0 decimal places." in response.content.decode()


def test_an_unknown_kind_is_refused(agent_client, case):
    response = agent_client.post(propose_url(case), {"kind": "cash", "amount": "5"})
    assert response.status_code == 400
    assert not case.compensations.exists()


def test_a_currency_without_a_rate_is_a_conflict(agent_client):
    case = CaseFactory(order=OrderFactory(currency="CHF"))
    response = agent_client.post(propose_url(case), {"kind": "refund", "amount": "5"})
    assert response.status_code == 409
    assert "There is no exchange rate for CHF yet" in response.content.decode()
    assert not case.compensations.exists()


def test_a_closed_case_takes_no_compensation(agent_client):
    case = CaseFactory(status=Case.Status.CLOSED)
    response = agent_client.post(propose_url(case), {"kind": "refund", "amount": "5"})
    assert response.status_code == 403
    assert f"Case {case.number} is closed." in response.content.decode()


def test_a_next_on_another_site_is_ignored(agent_client, case):
    response = agent_client.post(
        propose_url(case), {"kind": "refund", "amount": "5", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/agent/cases/{case.number}/"


def test_a_hidden_case_is_not_found(client, settings):
    settings.CASE_VISIBILITY = "own"
    ana, bob = agent(username="ana"), agent(username="bob")
    hidden = CaseFactory(assignee=bob)
    client.force_login(ana)
    response = client.post(propose_url(hidden), {"kind": "refund", "amount": "5"})
    assert response.status_code == 404
    assert not hidden.compensations.exists()


def test_someone_who_may_not_propose_is_refused(client, case):
    viewer = User.objects.create_user("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_case"))
    client.force_login(viewer)
    response = client.post(propose_url(case), {"kind": "refund", "amount": "5"})
    assert response.status_code == 403
    assert not case.compensations.exists()


def test_proposing_takes_a_post_only(agent_client, case):
    assert agent_client.get(propose_url(case)).status_code == 405


def test_signed_out_goes_to_the_sign_in_page(client, case):
    response = client.post(propose_url(case), {"kind": "refund", "amount": "5"})
    assert response.status_code == 302
    assert response["Location"].startswith("/agent/login/")


# --- approving and rejecting -------------------------------------------------------------------


def test_an_agent_cannot_approve_above_the_limit(agent_client, case, agent_user):
    waiting = proposed(case, actor=agent_user)
    response = agent_client.post(move_url(waiting, "approve"))
    assert response.status_code == 403
    assert "Only a supervisor can approve" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Compensation.Status.PROPOSED


def test_a_supervisor_approves_above_the_limit(client, case, agent_user, supervisor_user):
    waiting = proposed(case, actor=agent_user)
    client.force_login(supervisor_user)
    response = client.post(move_url(waiting, "approve"), {"next": "/agent/compensations/"})
    assert response.status_code == 303
    assert response["Location"] == "/agent/compensations/"
    waiting.refresh_from_db()
    assert waiting.status == Compensation.Status.APPROVED
    assert waiting.approved_by == supervisor_user
    assert flashes(response) == [f"Refund of €150.00 on case {case.number} approved."]


def test_approving_twice_is_a_conflict(client, case, supervisor_user):
    waiting = proposed(case)
    client.force_login(supervisor_user)
    client.post(move_url(waiting, "approve"))
    response = client.post(move_url(waiting, "approve"))
    assert response.status_code == 409
    assert "cannot become" in response.content.decode()


def test_rejecting_needs_a_reason(agent_client, case):
    waiting = proposed(case)
    response = agent_client.post(move_url(waiting, "reject"), {"reason": "  "})
    assert response.status_code == 400
    assert "Say why, for the timeline." in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Compensation.Status.PROPOSED


def test_a_proposal_is_rejected_with_its_reason(agent_client, case):
    waiting = proposed(case)
    response = agent_client.post(move_url(waiting, "reject"), {"reason": "Duplicate"})
    assert response.status_code == 303
    waiting.refresh_from_db()
    assert (waiting.status, waiting.reason) == (Compensation.Status.REJECTED, "Duplicate")


# --- issuing, failing, cancelling --------------------------------------------------------------


def test_an_approved_compensation_is_issued_with_its_reference(agent_client, case):
    approved = proposed(case, "20.00")
    response = agent_client.post(move_url(approved, "issue"), {"external_reference": " PSP-1 "})
    assert response.status_code == 303
    approved.refresh_from_db()
    assert approved.status == Compensation.Status.ISSUED
    assert approved.external_reference == "PSP-1"
    assert approved.issued_at is not None


def test_a_failed_one_is_issued_again_or_cancelled(agent_client, case):
    approved = proposed(case, "20.00")
    response = agent_client.post(move_url(approved, "fail"), {"reason": "Card expired"})
    assert response.status_code == 303
    approved.refresh_from_db()
    assert (approved.status, approved.failure_reason) == ("failed", "Card expired")
    agent_client.post(move_url(approved, "cancel"), {"reason": "Customer took store credit"})
    approved.refresh_from_db()
    assert approved.status == Compensation.Status.CANCELLED


def test_failing_needs_a_reason(agent_client, case):
    approved = proposed(case, "20.00")
    response = agent_client.post(move_url(approved, "fail"), {})
    assert response.status_code == 400
    approved.refresh_from_db()
    assert approved.status == Compensation.Status.APPROVED


def test_a_proposal_cannot_be_issued_before_approval(agent_client, case):
    waiting = proposed(case)
    response = agent_client.post(move_url(waiting, "issue"), {"external_reference": "X"})
    assert response.status_code == 409
    waiting.refresh_from_db()
    assert waiting.status == Compensation.Status.PROPOSED


def test_an_issued_one_cannot_be_cancelled(agent_client, case):
    approved = proposed(case, "20.00")
    agent_client.post(move_url(approved, "issue"))
    response = agent_client.post(move_url(approved, "cancel"), {"reason": "Too late"})
    assert response.status_code == 409


def test_an_unknown_move_is_not_found(agent_client, case):
    approved = proposed(case, "20.00")
    assert agent_client.post(move_url(approved, "refund")).status_code == 404


def test_a_compensation_on_a_hidden_case_is_not_found(client, settings):
    settings.CASE_VISIBILITY = "own"
    ana, bob = agent(username="ana"), agent(username="bob")
    hidden = proposed(CaseFactory(assignee=bob), "20.00")
    client.force_login(ana)
    response = client.post(move_url(hidden, "issue"), {"external_reference": "X"})
    assert response.status_code == 404
    hidden.refresh_from_db()
    assert hidden.status == Compensation.Status.APPROVED


def test_someone_who_may_not_change_compensation_is_refused(client, case):
    approved = proposed(case, "20.00")
    viewer = User.objects.create_user("viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_case"))
    client.force_login(viewer)
    assert client.post(move_url(approved, "issue")).status_code == 403


@pytest.mark.usefixtures("usd_rate")
def test_a_usd_amount_reads_in_dollars_in_the_flash(agent_client):
    case = CaseFactory(order=OrderFactory(currency="USD"))
    approved = proposed(case, "20.00")
    response = agent_client.post(move_url(approved, "issue"), {"external_reference": "R"})
    assert flashes(response) == [f"Refund of $20.00 on case {case.number} marked issued."]


def test_an_id_beyond_any_row_is_not_found(agent_client):
    response = agent_client.post("/agent/compensations/99999999999999999999999/approve/")
    assert response.status_code == 404
