"""The general kind, which tickets registers itself: its guard, milestones and reply clock."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.tickets.factories import CaseFactory
from tickets.errors import TransitionRefused
from tickets.models import Case, Compensation
from tickets.scenarios import case_clocks, case_milestones, scenario_get
from tickets.services.cases import case_create, case_transition
from tickets.services.compensations import (
    compensation_mark_failed,
    compensation_mark_issued,
    compensation_propose,
)
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db
S = Case.Status
GENERAL = Case.Kind.GENERAL


@pytest.fixture
def threshold(settings):
    settings.BASE_CURRENCY = "EUR"
    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("100.00")


@pytest.fixture
def general_case():
    return CaseFactory(kind=GENERAL, status=S.OPEN)


def _credit(case, actor, amount="10.00"):
    return compensation_propose(
        case=case, kind=Compensation.Kind.STORE_CREDIT, amount=Decimal(amount), actor=actor
    )


def test_tickets_owns_the_general_kind():
    scenario = scenario_get(GENERAL)
    assert scenario is not None and scenario.label == GENERAL.label


def test_a_case_with_unpaid_compensation_is_not_resolved(general_case, agent_user, threshold):
    # given store credit approved but not issued yet
    _credit(general_case, agent_user)
    # when the agent resolves the case, then it is refused with the reason
    with pytest.raises(TransitionRefused, match="compensation that is not issued yet"):
        case_transition(case=general_case, to=S.RESOLVED, actor=agent_user)
    general_case.refresh_from_db()
    assert general_case.status == S.OPEN


def test_an_issued_or_failed_compensation_lets_it_resolve(general_case, agent_user, threshold):
    # given one compensation issued and one that failed
    compensation_mark_issued(
        compensation=_credit(general_case, agent_user), actor=agent_user, external_reference="c1"
    )
    compensation_mark_failed(
        compensation=_credit(general_case, agent_user), actor=agent_user, reason="declined"
    )
    # when the agent resolves it, then it moves
    case = case_transition(case=general_case, to=S.RESOLVED, actor=agent_user)
    assert case.status == S.RESOLVED


def test_the_guard_is_the_general_kinds_only(agent_user, threshold):
    # given a defect case (its scenario has no guard yet) with credit not issued
    case = CaseFactory(kind=Case.Kind.DEFECT, status=S.OPEN)
    _credit(case, agent_user)
    # then it resolves
    assert case_transition(case=case, to=S.RESOLVED, actor=agent_user).status == S.RESOLVED


def test_the_customer_sees_received_asked_answered_and_closed(agent_user, customer):
    # given a general case that went the whole way
    case = case_create(customer=customer, kind=GENERAL, subject="Invoice?", channel="email")
    for status in (S.OPEN, S.WAITING_ON_CUSTOMER, S.OPEN, S.RESOLVED, S.CLOSED):
        case = case_transition(case=case, to=status, actor=agent_user)
    # then the status history has the four steps a customer cares about
    assert [str(m.label) for m in case_milestones(case=case)] == [
        "We received your request",
        "We asked you for more information",
        "Your question was answered",
        "Case closed",
    ]


def test_the_reply_clock_runs_from_the_customers_message_to_the_agents_reply(
    general_case, agent_user, time_machine
):
    # given the customer writes
    message_add(case=general_case, body="Where is my invoice?", author_kind="customer", actor=None)
    (clock,) = case_clocks(case=general_case)
    assert clock.started_at is not None and clock.stopped_at is None
    assert clock.due_at == clock.started_at + timedelta(days=1)
    # when an internal note is written two days later, the clock still runs, breached
    time_machine.move_to(timezone.now() + timedelta(days=2))
    message_add(
        case=general_case, body="Ask accounting", author_kind="agent", actor=agent_user,
        visibility="internal",
    )  # fmt: skip
    (clock,) = case_clocks(case=general_case)
    assert clock.stopped_at is None and clock.breached
    # then the agent's public reply stops it
    message_add(case=general_case, body="Attached.", author_kind="agent", actor=agent_user)
    (clock,) = case_clocks(case=general_case)
    assert clock.stopped_at is not None and clock.breached
