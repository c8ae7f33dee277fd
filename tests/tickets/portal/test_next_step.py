"""The general kind's next step, told to the customer on the case page."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.tickets.factories import CaseFactory
from tickets.general import general_next_step
from tickets.models import Case

pytestmark = pytest.mark.django_db

DUE = datetime(2026, 7, 16, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 7, 20, 9, 0, tzinfo=UTC)


def _case(**fields):
    case = CaseFactory(kind=Case.Kind.GENERAL)
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def test_before_our_first_answer_it_is_the_first_response_due_time():
    step = general_next_step(_case(first_response_due=DUE, resolution_due=LATER))
    assert (str(step.text), step.at) == ("We will answer by %(date)s", DUE)


def test_after_our_first_answer_it_is_the_resolution_due_time():
    case = _case(
        status=Case.Status.OPEN,
        first_response_due=DUE,
        resolution_due=LATER,
        first_responded_at=DUE,
    )
    assert general_next_step(case).at == LATER


def test_without_an_sla_we_answer_as_soon_as_we_can():
    step = general_next_step(_case(first_response_due=None, resolution_due=None))
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
