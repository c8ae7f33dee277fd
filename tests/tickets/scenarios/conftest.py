"""A test scenario standing in for the wrong-item kind, using every part of the registry."""

from datetime import timedelta

import pytest
from django.db import models

from tickets.models import Case
from tickets.scenarios import (
    Clock,
    EventMatch,
    Milestone,
    NotificationLink,
    PortalEntry,
    Scenario,
    WorkspacePanel,
    scenario_override,
)
from tickets.services.timeline import Verb, verbs_register

KIND = Case.Kind.WRONG_ITEM
ROOT_CAUSE_MISSING = "Record the root cause (tag it root-cause) before resolving."
LABEL_URL = "https://shop.example/labels/{number}.pdf"


class ScenarioVerb(models.TextChoices):
    """A scenario app's own verbs, namespaced by its label."""

    RESHIPPED = "testscenario.reshipped", "Right item sent"


verbs_register(ScenarioVerb, namespace="testscenario")


def root_cause_recorded(case: Case, to: str) -> str | None:
    if to == Case.Status.RESOLVED and not case.tags.filter(name="root-cause").exists():
        return ROOT_CAUSE_MISSING
    return None


def label_link(case: Case, event: str) -> dict:
    return {"links": [NotificationLink("Your return label", LABEL_URL.format(number=case.number))]}


SCENARIO = Scenario(
    kind=KIND,
    label="Wrong item (test)",
    portal=(
        PortalEntry(
            key="wrong-item",
            title="Wrong thing?",
            description="We swap it.",
            position=30,
            url_name="tickets:portal-case-new",
        ),
    ),
    panel=WorkspacePanel(
        template="testscenario/_panel.html", context=lambda case: {"number": case.number}
    ),
    milestones=(
        Milestone(EventMatch(Verb.CREATED), "We received your report"),
        Milestone(EventMatch(ScenarioVerb.RESHIPPED), "The right item is on its way"),
        Milestone(EventMatch(Verb.STATUS_CHANGED, {"status": "resolved"}), "Solved"),
    ),
    notification_context=label_link,
    clocks=(
        Clock(
            name="reship",
            label="Reship within a day",
            start=EventMatch(Verb.CREATED),
            stop=EventMatch(ScenarioVerb.RESHIPPED),
            duration=timedelta(days=1),
        ),
    ),
    guards=(root_cause_recorded,),
)


@pytest.fixture
def scenario():
    """The test scenario owns the wrong-item kind for the test."""
    with scenario_override(SCENARIO):
        yield SCENARIO
