"""The registry's order panels, search arms and case list filters, with a stand-in scenario:
panels read a page of orders at once, the search and the filters add no query of their own."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CaseFactory, OrderFactory, agent
from tickets.models import Case
from tickets.scenarios import (
    CaseFilter,
    OrderPanel,
    Scenario,
    case_filters,
    case_search_arms,
    order_panels,
    scenario_override,
    scenario_register,
)

pytestmark = pytest.mark.django_db
KIND = Case.Kind.WRONG_ITEM
LIST = "/agent/cases/"


def _contexts(calls):
    def contexts(orders, full):
        calls.append((len(orders), full))
        # something to show on the first order only
        return {orders[0].pk: {"full": full}}

    return contexts


def test_order_panels_read_all_orders_at_once_and_summaries_only_where_there_is_one():
    orders = [OrderFactory(), OrderFactory()]
    calls = []
    with_summary = OrderPanel("a.html", _contexts(calls), summary_template="a_line.html")
    with scenario_override(Scenario(kind=KIND, label="x", order_panel=with_summary)):
        full = order_panels(orders=orders, full=True)
        short = order_panels(orders=orders, full=False)
    assert calls == [(2, True), (2, False)]
    first, second = orders[0].pk, orders[1].pk
    assert [(p.template, dict(p.context)) for p in full[first]] == [("a.html", {"full": True})]
    assert [(p.template, dict(p.context)) for p in short[first]] == [
        ("a_line.html", {"full": False})
    ]
    assert full[second] == [] and short[second] == []
    # a panel without a summary shows on the order's page only
    calls.clear()
    without = OrderPanel("b.html", _contexts(calls))
    with scenario_override(Scenario(kind=KIND, label="x", order_panel=without)):
        assert order_panels(orders=orders, full=False)[first] == []
    assert calls == []
    assert order_panels(orders=[], full=True) == {}


def test_search_arms_and_filters_come_from_the_scenarios(client):
    # given a stand-in scenario whose search finds a case by a code, and whose filter keeps it
    kept, other = CaseFactory(kind=KIND), CaseFactory(kind=KIND)
    ids = Case.objects.filter(pk=kept.pk).values("pk")

    def search(term):
        return (ids,) if term == "CODE-1" else ()

    code_filter = CaseFilter("code", "Code", lambda value: ids if value == "yes" else ids.none())
    stand_in = Scenario(kind=KIND, label="x", case_search=search, case_filters=(code_filter,))
    client.force_login(agent(username="ana"))
    with scenario_override(stand_in):
        assert any(arm is ids for arm in case_search_arms("CODE-1"))
        assert code_filter in case_filters()
        found = client.get(LIST, {"q": "CODE-1", "status": "all"}).context["rows"]
        kept_only = client.get(LIST, {"code": "yes", "status": "all"})
        with CaptureQueriesContext(connection) as plain:
            client.get(LIST, {"status": "all"})
        with CaptureQueriesContext(connection) as filtered:
            client.get(LIST, {"code": "yes", "status": "all"})
    assert [row.number for row in found] == [kept.number]
    assert [row.number for row in kept_only.context["rows"]] == [kept.number]
    assert other.number not in kept_only.content.decode()
    assert len(filtered) == len(plain)


def test_a_case_filter_key_another_scenario_took_is_refused():
    taken = CaseFilter("carrier", "Carrier", lambda value: Case.objects.none())
    with pytest.raises(ImproperlyConfigured, match="case filter key is taken"):
        scenario_register(Scenario(kind=KIND, label="x", case_filters=(taken,)))
