"""notify() adds the context of the case kind's scenario; the email layout shows its links."""

import pytest

from tests.tickets.factories import CaseFactory
from tickets.models import Case, Notification
from tickets.services.cases import case_transition
from tickets.services.notifications import notify

from .conftest import KIND, LABEL_URL

pytestmark = pytest.mark.django_db


def _email(rows):
    return next(row for row in rows if row.channel == Notification.Channel.EMAIL)


def test_the_scenarios_link_reaches_the_rendered_email(scenario, agent_user):
    # given an open case of the test scenario's kind
    case = CaseFactory(kind=KIND, status=Case.Status.OPEN)
    # when it starts waiting on the customer's return, which notifies them
    case_transition(case=case, to=Case.Status.WAITING_ON_RETURN, actor=agent_user)
    # then the email, text and HTML, carries the scenario's label link
    email = Notification.objects.get(case=case, channel=Notification.Channel.EMAIL)
    url = LABEL_URL.format(number=case.number)
    assert f"Your return label:\n{url}\n" in email.body
    assert f'<a href="{url}"' in email.body_html
    assert "Your return label</a>" in email.body_html


def test_the_callers_context_wins_over_the_scenarios(scenario):
    case = CaseFactory(kind=KIND)
    rows = notify(
        customer=case.customer, event="case_received", key=case.number, case=case,
        context={"links": []},
    )  # fmt: skip
    assert LABEL_URL.format(number=case.number) not in _email(rows).body


def test_cases_of_other_kinds_get_no_links(scenario):
    # given a general case, whose scenario adds no notification context
    case = CaseFactory(kind=Case.Kind.GENERAL)
    rows = notify(customer=case.customer, event="case_received", key=case.number, case=case)
    # then the email is the spine's alone
    email = _email(rows)
    assert "https://shop.example/labels/" not in email.body + email.body_html
