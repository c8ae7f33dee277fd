"""The compensation panel of the case workspace: `{% compensation_panel case %}`."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.tickets.agent.compensation_support import usd_rate  # noqa: F401 (fixture)
from tests.tickets.factories import CaseFactory, OrderFactory, agent
from tickets.models import Case, Compensation
from tickets.services.compensations import compensation_propose

pytestmark = pytest.mark.django_db

PANEL = Template("{% load agent_compensation %}{% compensation_panel case %}")


def render_panel(rf, case, user):
    request = rf.get(f"/agent/cases/{case.number}/?sort=sla")
    # a fresh user object, as each request has: no permissions read yet
    request.user = User.objects.get(pk=user.pk)
    return PANEL.render(RequestContext(request, {"case": case}))


def propose(case, amount, actor, kind="refund"):
    return compensation_propose(case=case, kind=kind, amount=Decimal(amount), actor=actor)


@pytest.mark.usefixtures("usd_rate")
def test_the_panel_lists_compensations_with_amount_base_amount_status_and_people(rf, agent_user):
    # given a case on a USD order with one approved and one waiting compensation
    case = CaseFactory(order=OrderFactory(currency="USD"))
    propose(case, "20.00", agent_user)
    propose(case, "500.00", agent_user, kind="store_credit")
    # when the agent opens the panel
    html = render_panel(rf, case, agent_user)
    # then both rows show the order's currency, the base equivalent and who did what
    assert "$20.00" in html
    assert "€18.00" in html
    assert "$500.00" in html
    assert "€450.00" in html
    assert "Store credit" in html
    assert "Waits for a supervisor" in html
    assert "Proposed by alice" in html
    assert "approved by alice" in html
    # (by name, once the agent has one)
    agent_user.first_name, agent_user.last_name = "Alice", "Adams"
    agent_user.save()
    html = render_panel(rf, case, agent_user)
    assert "Proposed by Alice Adams" in html
    assert "approved by Alice Adams" in html
    # and the propose form knows the rate and the limit for the live hint
    assert 'data-rate="0.90000000"' in html
    assert 'data-threshold="100.00"' in html
    assert "Amount (USD)" in html


def test_the_viewers_language_formats_the_money(rf, agent_user, case):
    # given a German-speaking viewer
    propose(case, "12.50", agent_user)
    with translation.override("de"):
        html = render_panel(rf, case, agent_user)
    # then the amount reads as Germans write it
    assert "12,50\xa0€" in html


def test_an_agent_sees_no_approve_button_above_the_limit_but_a_supervisor_does(
    rf, case, agent_user, supervisor_user
):
    # given a proposal above the limit
    waiting = propose(case, "150.00", agent_user)
    approve = f"/agent/compensations/{waiting.pk}/approve/"
    reject = f"/agent/compensations/{waiting.pk}/reject/"
    # then the agent may only reject it, the supervisor approve or reject it
    agent_html = render_panel(rf, case, agent_user)
    assert approve not in agent_html
    assert reject in agent_html
    supervisor_html = render_panel(rf, case, supervisor_user)
    assert approve in supervisor_html
    assert reject in supervisor_html


def test_only_the_moves_the_status_allows_are_offered(rf, case, agent_user):
    # given an approved compensation
    approved = propose(case, "10.00", agent_user)
    html = render_panel(rf, case, agent_user)
    # then it can be issued, failed or cancelled, never approved or rejected again
    for move in ("issue", "fail", "cancel"):
        assert f"/agent/compensations/{approved.pk}/{move}/" in html
    for move in ("approve", "reject"):
        assert f"/agent/compensations/{approved.pk}/{move}/" not in html
    # and each form comes back to the page it was sent from
    assert f'value="/agent/cases/{case.number}/?sort=sla"' in html


def test_a_final_compensation_offers_no_moves(rf, case, agent_user):
    issued = propose(case, "10.00", agent_user)
    Compensation.objects.filter(pk=issued.pk).update(
        status=Compensation.Status.ISSUED, external_reference="PSP-42"
    )
    html = render_panel(rf, case, agent_user)
    assert f"/agent/compensations/{issued.pk}/" not in html
    assert "PSP-42" in html


def test_a_closed_case_takes_no_proposal(rf, agent_user):
    case = CaseFactory(status=Case.Status.CLOSED)
    html = render_panel(rf, case, agent_user)
    assert "Propose compensation" not in html
    assert "No compensation yet." in html


def test_without_a_rate_the_form_says_so_and_has_no_button(rf, agent_user):
    case = CaseFactory(order=OrderFactory(currency="CHF"))
    html = render_panel(rf, case, agent_user)
    assert "There is no exchange rate for CHF yet" in html
    assert ">Propose</button>" not in html


def test_a_case_without_an_order_proposes_in_the_base_currency(rf, agent_user):
    case = CaseFactory(order=None)
    html = render_panel(rf, case, agent_user)
    assert "Amount (EUR)" in html


def test_someone_without_the_view_permission_sees_no_panel(rf, case):
    nobody = User.objects.create_user("nobody")
    assert render_panel(rf, case, nobody).strip() == ""


@pytest.mark.usefixtures("usd_rate")
def test_the_panels_queries_do_not_grow_with_the_compensations(rf, agent_user):
    # given one case with one compensation and another with 20
    one = CaseFactory(order=OrderFactory(currency="USD"))
    many = CaseFactory(order=OrderFactory(currency="USD"))
    propose(one, "150.00", agent_user)
    for index in range(20):
        propose(many, f"{index + 150}.00", agent_user)
    one, many = (Case.objects.select_related("order").get(pk=c.pk) for c in (one, many))
    render_panel(rf, one, agent_user)  # warm-up: the permissions kept
    # when each panel renders, then it costs the same few queries
    with CaptureQueriesContext(connection) as few:
        render_panel(rf, one, agent_user)
    with CaptureQueriesContext(connection) as lots:
        html = render_panel(rf, many, agent_user)
    assert html.count("comp-row") == 20
    assert len(few) == len(lots)
    # the user read afresh (as a request does), the exchange rate, the ledger, its people; the
    # user's permissions are kept in the cache
    assert len(lots) == 4, [q["sql"] for q in lots.captured_queries]


@pytest.mark.usefixtures("usd_rate")
def test_a_case_without_compensations_reads_no_people(rf, agent_user):
    # given a case with no compensation, as most are
    case = Case.objects.select_related("order").get(
        pk=CaseFactory(order=OrderFactory(currency="USD")).pk
    )
    render_panel(rf, case, agent_user)  # warm-up: the permissions kept
    # when its panel renders
    with CaptureQueriesContext(connection) as captured:
        html = render_panel(rf, case, agent_user)
    # then it reads the user, the rate and the empty ledger, and no people, and joins none
    assert "No compensation yet." in html
    assert len(captured) == 3, [q["sql"] for q in captured.captured_queries]
    assert not any("JOIN" in q["sql"] for q in captured.captured_queries)


def test_an_agent_who_only_sees_own_cases_still_gets_the_panel_on_them(rf, settings):
    settings.CASE_VISIBILITY = "own"
    ana = agent(username="ana")
    case = CaseFactory(assignee=ana)
    assert "Propose compensation" in render_panel(rf, case, ana)
