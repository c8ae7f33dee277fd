"""The system check: every kind has a scenario, and what a scenario names exists."""

from datetime import timedelta

from tickets import checks
from tickets.checks import aftersales_scenarios_check
from tickets.models import Case
from tickets.scenarios import (
    Clock,
    EventMatch,
    Milestone,
    PortalEntry,
    Scenario,
    scenario_override,
)

from .conftest import KIND

DAY = timedelta(days=1)


def _ids():
    return [error.id for error in aftersales_scenarios_check(None)]


def test_the_installed_apps_pass():
    assert _ids() == []


def test_a_misspelt_verb_is_an_error():
    misspelt = Scenario(
        kind=KIND,
        label="x",
        milestones=(Milestone(EventMatch("status_chnaged"), "Moved"),),
        clocks=(Clock("c", "c", EventMatch("created"), EventMatch("wrong_items.sent"), DAY),),
    )
    with scenario_override(misspelt):
        errors = aftersales_scenarios_check(None)
    assert [error.id for error in errors] == ["as.E007", "as.E007"]
    assert "'status_chnaged'" in errors[0].msg


def test_a_portal_url_that_does_not_reverse_is_an_error():
    entry = PortalEntry(
        key="x", title="x", description="y", position=1, url_name="portal-wizard-that-is-not-built"
    )
    with scenario_override(Scenario(kind=KIND, label="x", portal=(entry,))):
        assert _ids() == ["as.E008"]


def test_a_kind_without_scenario_is_an_error(monkeypatch):
    # given a kind nobody registered (an app left out of INSTALLED_APPS)
    monkeypatch.setattr(
        checks, "scenario_get", lambda kind: None if kind == Case.Kind.DEFECT else object()
    )
    errors = aftersales_scenarios_check(None)
    assert [error.id for error in errors] == ["as.E006"]
    assert "'defect'" in errors[0].msg
