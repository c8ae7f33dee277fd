"""The registry: one owner per kind, the scenario apps' own entries, the portal built from it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from tickets.models import Case
from tickets.scenarios import (
    Clock,
    EventMatch,
    Scenario,
    scenario_get,
    scenario_list,
    scenario_list_for_portal,
    scenario_override,
    scenario_register,
    workspace_panel,
)

from .conftest import KIND, SCENARIO


def test_every_kind_has_one_scenario_in_the_order_of_the_kinds():
    # given the installed apps, then each kind is owned, in Case.Kind's order
    assert [scenario.kind for scenario in scenario_list()] == Case.Kind.values
    assert all(scenario.label for scenario in scenario_list())


def test_the_portal_offers_the_three_scenario_apps_and_not_the_general_kind():
    # given the scenario apps' registrations, then the portal lists theirs, in kind order
    assert [scenario.kind for scenario in scenario_list_for_portal()] == [
        Case.Kind.DEFECT,
        Case.Kind.WRONG_ITEM,
        Case.Kind.SHIPMENT_ISSUE,
    ]
    assert scenario_get(Case.Kind.GENERAL).portal is None


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
def test_the_portal_shows_each_entry_and_links_it_once_it_has_a_url(client, scenario):
    # given the test scenario's portal entry, which names a URL, and the defect app's, which not
    # when the portal is opened
    page = client.get("/portal/").content.decode()
    # then every scenario with an entry has its card, the linked one with its link
    assert page.count("<article>") == 3
    assert '<a href="/portal/">Wrong thing?</a>' in page
    assert "We swap it." in page
    assert "Something is broken" in page
    assert "General question" not in page
