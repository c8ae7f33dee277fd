"""The registry: one owner per kind, the scenario apps' own entries, the portal built from it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from tickets.models import Case
from tickets.scenarios import (
    Clock,
    EventMatch,
    NextStep,
    PortalEntry,
    Scenario,
    case_next_step,
    portal_entries,
    portal_entry,
    scenario_get,
    scenario_list,
    scenario_override,
    scenario_register,
    workspace_panel,
)

from .conftest import KIND, SCENARIO


def test_every_kind_has_one_scenario_in_the_order_of_the_kinds():
    # given the installed apps, then each kind is owned, in Case.Kind's order
    assert [scenario.kind for scenario in scenario_list()] == Case.Kind.values
    assert all(scenario.label for scenario in scenario_list())


def test_the_wizard_offers_every_apps_branches_in_position_order():
    # given the scenario apps' and the general kind's registrations, then the wizard's branches
    # come in their positions, each app owning its own
    entries = portal_entries()
    assert [(entry.key, entry.per_line) for entry in entries] == [
        ("return", True),
        ("defect", True),
        ("wrong-item", True),
        ("parcel", False),
        ("other", False),
    ]
    assert [entry.key for entry in scenario_get(Case.Kind.DEFECT).portal] == ["defect"]
    assert [entry.key for entry in scenario_get(Case.Kind.RETURN).portal] == ["return"]
    assert scenario_get(Case.Kind.GENERAL).portal[0].url_name == "tickets:portal-case-new"
    assert portal_entry("parcel") is scenario_get(Case.Kind.SHIPMENT_ISSUE).portal[0]
    assert portal_entry("gift-wrap") is None


def test_a_branch_reverses_its_form_with_the_order_or_has_none_yet():
    assert portal_entry("other").url(order_id=7) == "/portal/orders/7/cases/new/"
    assert portal_entry("defect").url(order_id=7) == "/portal/orders/7/defect/"
    assert portal_entry("wrong-item").url(order_id=7) == "/portal/orders/7/wrong-item/"


def test_a_branch_without_its_own_form_yet_has_no_url(wrong_item_without_form):
    assert portal_entry("wrong-item").url(order_id=7) == ""


def test_a_branch_key_another_scenario_took_is_refused():
    entry = PortalEntry(key="defect", title="x", description="y", position=1)
    with pytest.raises(ImproperlyConfigured, match="branch key is taken"):
        scenario_register(Scenario(kind=KIND, label="x", portal=(entry,)))


def test_a_second_owner_for_a_kind_is_refused():
    # given the wrong-item kind owned by its app, when another scenario claims it, then no
    owner = scenario_get(KIND)
    with pytest.raises(ImproperlyConfigured, match="already has a scenario"):
        scenario_register(Scenario(kind=KIND, label="Another"))
    assert scenario_get(KIND) is owner


def test_a_kind_that_is_not_a_case_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not a Case.Kind"):
        scenario_register(Scenario(kind="gift_wrap", label="Gift wrap"))
    assert scenario_get("gift_wrap") is None


def test_two_clocks_of_one_name_are_refused():
    clock = Clock("reply", "Reply", EventMatch("created"), EventMatch("assigned"), timedelta(1))
    with pytest.raises(ImproperlyConfigured, match="two clocks"):
        scenario_register(Scenario(kind=KIND, label="x", clocks=(clock, clock)))


def test_an_override_stands_in_for_the_owner_and_gives_the_kind_back():
    owner = scenario_get(KIND)
    with scenario_override(SCENARIO):
        assert scenario_get(KIND) is SCENARIO
    assert scenario_get(KIND) is owner


@pytest.mark.django_db
def test_the_workspace_panel_is_the_kinds_template_with_its_context(scenario, case):
    # given a case of the test scenario's kind and one of a kind without a panel
    Case.objects.filter(pk=case.pk).update(kind=KIND)
    case.refresh_from_db()
    # then the panel is the scenario's template and context, and other kinds have none
    assert workspace_panel(case=case) == ("testscenario/_panel.html", {"number": case.number})
    case.kind = Case.Kind.GENERAL
    assert workspace_panel(case=case) is None


@pytest.mark.django_db
def test_the_next_step_is_the_kinds_or_the_general_kinds(case, scenario):
    # given the general kind's next step, and a kind without one
    Case.objects.filter(pk=case.pk).update(
        kind=Case.Kind.GENERAL, status=Case.Status.WAITING_ON_CUSTOMER
    )
    case.refresh_from_db()
    assert case_next_step(case=case) == NextStep("We are waiting for your reply.")
    # then a kind whose app describes no next step yet tells what the general kind tells
    case.kind = KIND
    assert scenario_get(KIND).next_step is None
    assert case_next_step(case=case) == NextStep("We are waiting for your reply.")
    # and a case no longer moving has none
    case.status = Case.Status.CLOSED
    assert case_next_step(case=case) is None
