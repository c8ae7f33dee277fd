"""The general kind's next step, told to the customer on the case page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from tests.tickets.factories import CaseFactory, CustomerFactory
from tickets.general import general_next_step
from tickets.models import Case, SLAPolicy
from tickets.services.cases import case_create
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db

DUE = datetime(2026, 7, 16, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def before_due(time_machine):
    """The clock stands a day before DUE."""
    time_machine.move_to(DUE - timedelta(days=1), tick=False)
    return time_machine


def _case(**fields):
    case = CaseFactory(kind=Case.Kind.GENERAL)
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def test_we_answer_by_the_cases_soonest_running_due_time():
    step = general_next_step(_case(first_response_due=DUE, resolution_due=LATER, sla_due=DUE))
    assert (str(step.text), step.at) == ("We will answer by %(date)s", DUE)


def test_the_customers_unanswered_message_brings_our_answer_forward(agent_user):
    # given a policy with an update target (30 min) before its resolution (8 h), and our
    # first answer
    SLAPolicy.objects.filter(kind=Case.Kind.GENERAL, priority=Case.Priority.NORMAL).update(
        first_response_minutes=60, next_response_minutes=30, resolution_minutes=480, calendar=None
    )
    case = case_create(
        customer=CustomerFactory(), kind=Case.Kind.GENERAL, subject="Invoice", channel="portal"
    )
    message_add(case=case, body="On it.", author_kind="agent", actor=agent_user)
    case.refresh_from_db()
    assert general_next_step(case).at == case.resolution_due
    # when the customer writes again
    message_add(case=case, body="Any news?", author_kind="customer", actor=None)
    case.refresh_from_db()
    # then we promise the update target's time, the sooner one
    assert case.next_response_due == DUE - timedelta(days=1) + timedelta(minutes=30)
    assert general_next_step(case).at == case.next_response_due


def test_a_due_time_gone_by_is_not_promised_again(before_due):
    case = _case(first_response_due=DUE, resolution_due=LATER, sla_due=DUE)
    before_due.move_to(DUE + timedelta(minutes=1), tick=False)
    step = general_next_step(case)
    assert (str(step.text), step.at) == ("We will answer you as soon as we can.", None)


@pytest.mark.parametrize(
    ("status", "text"),
    [
        (Case.Status.WAITING_ON_CARRIER, "We have contacted the carrier about your parcel"),
        (Case.Status.WAITING_ON_RETURN, "We are waiting for your return parcel. As soon as"),
    ],
)
def test_while_the_clocks_stand_still_we_say_what_we_wait_for_and_promise_no_time(status, text):
    case = _case(
        status=status,
        first_response_due=DUE,
        resolution_due=LATER,
        first_responded_at=DUE - timedelta(days=2),
        sla_paused_at=DUE - timedelta(days=2),
        sla_due=None,
    )
    step = general_next_step(case)
    assert str(step.text).startswith(text) and step.at is None
    # in the customer's language, as the status email says it
    with translation.override("de"):
        assert str(step.text).startswith("Wir ")


def test_without_an_sla_we_answer_as_soon_as_we_can():
    step = general_next_step(_case(first_response_due=None, resolution_due=None, sla_due=None))
    assert (str(step.text), step.at) == ("We will answer you as soon as we can.", None)


def test_waiting_on_the_customer_it_is_their_reply():
    step = general_next_step(_case(status=Case.Status.WAITING_ON_CUSTOMER, first_response_due=DUE))
    assert (str(step.text), step.at) == ("We are waiting for your reply.", None)


def test_a_solved_case_closes_after_the_quiet_days_from_its_last_change(settings):
    settings.CASE_AUTOCLOSE_DAYS = 7
    case = _case(status=Case.Status.RESOLVED, resolved_at=DUE, updated_at=LATER)
    step = general_next_step(case)
    assert (str(step.text), step.at) == (
        "Closes on %(date)s unless you reply.",
        LATER + timedelta(7),
    )


def test_a_closed_case_has_no_next_step():
    assert general_next_step(_case(status=Case.Status.CLOSED)) is None
