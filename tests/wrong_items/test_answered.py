"""Acting on a wrong item emails the customer: that is their first answer, and a new case is
being worked from then on (the reshipment's tracking, the discount code, the return label)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.tickets.factories import agent
from tickets.models import Case, Notification
from tickets.services.cases import case_transition
from wrong_items.discounts import ManualAdapter
from wrong_items.services.actions import item_return, report_reship
from wrong_items.services.discounts import discount_issue

from .conftest import reported
from .test_actions import ADDRESS

pytestmark = pytest.mark.django_db

ACTIONS = {
    "wrong_item_reshipped": lambda report, actor: report_reship(
        report=report, carrier="dhl_express", tracking_number="JD0001", actor=actor
    ),
    "wrong_item_discount": lambda report, actor: discount_issue(
        report=report,
        value_type="percentage",
        value=Decimal(10),
        actor=actor,
        adapter=ManualAdapter(),
    ),
    "wrong_item_return_label": lambda report, actor: item_return(
        report=report, customer_address=ADDRESS, actor=actor
    ),
}


@pytest.mark.parametrize("reason", ACTIONS)
def test_the_first_email_answers_the_customer_and_opens_the_case(
    shipped_line, time_machine, reason
):
    time_machine.move_to("2027-03-10 09:00Z", tick=False)
    # given a wrong item reported 40 minutes ago, and nobody has answered
    report = reported(shipped_line)
    case = report.case
    assert (case.status, case.first_responded_at) == (Case.Status.NEW, None)
    time_machine.shift(timedelta(minutes=40))
    # when the agent acts on it, which emails the customer
    ACTIONS[reason](report, agent(username="alice"))
    # then that email stopped the first-response clock, and the case is being worked
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.first_responded_at == case.created_at + timedelta(minutes=40)
    assert case.sla_due == case.resolution_due
    moved = case.events.get(verb="status_changed")
    assert (moved.data["status"], moved.data["reason"]) == (Case.Status.OPEN, reason)
    # and the customer gets the action's own email, not a status email on top
    assert not Notification.objects.filter(case=case, template="case_status_changed").exists()


def test_a_case_waiting_on_the_customer_stays_waiting(shipped_line):
    alice = agent(username="alice")
    report = reported(shipped_line)
    case = case_transition(case=report.case, to=Case.Status.OPEN, actor=alice)
    case_transition(case=case, to=Case.Status.WAITING_ON_CUSTOMER, actor=alice)
    ACTIONS["wrong_item_reshipped"](report, alice)
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING_ON_CUSTOMER
