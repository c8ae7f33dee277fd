"""record(): the one way to write a case's timeline, with verbs from registered enumerations."""

import pytest
from django.db import models

from tickets.models import CaseEvent
from tickets.services import timeline
from tickets.services.timeline import Verb, record, verbs_register

pytestmark = pytest.mark.django_db


class ReturnVerb(models.TextChoices):
    LABEL_ISSUED = "returns.label_issued", "Return label issued"


def test_a_spine_verb_is_recorded_with_its_details(case, agent_user):
    event = record(case=case, verb=Verb.ASSIGNED, actor=agent_user, data={"assignee": 1})
    assert (event.verb, event.actor, event.data) == ("assigned", agent_user, {"assignee": 1})


def test_an_unregistered_verb_is_refused_and_nothing_is_written(case):
    with pytest.raises(ValueError, match="Unknown timeline verb"):
        record(case=case, verb="assinged", actor=None)
    assert not CaseEvent.objects.filter(case=case).exclude(verb=Verb.CREATED).exists()


def test_an_app_registers_namespaced_verbs_and_records_them(case, monkeypatch):
    # given a fresh registry (registration is process-wide), as at start-up
    monkeypatch.setattr(timeline, "_VERBS", dict(timeline._VERBS))
    verbs_register(ReturnVerb, namespace="returns")
    event = record(case=case, verb=ReturnVerb.LABEL_ISSUED, actor=None)
    assert event.verb == "returns.label_issued"
    assert ("returns.label_issued", "Return label issued") in timeline.verb_choices()


def test_an_app_verb_outside_its_namespace_is_refused(monkeypatch):
    monkeypatch.setattr(timeline, "_VERBS", dict(timeline._VERBS))
    with pytest.raises(ValueError, match="namespace"):
        verbs_register(ReturnVerb, namespace="wrong_items")


def test_a_verb_taken_by_another_enumeration_is_refused(monkeypatch):
    monkeypatch.setattr(timeline, "_VERBS", dict(timeline._VERBS))

    class Clash(models.TextChoices):
        ASSIGNED = "assigned", "Someone else's meaning"

    with pytest.raises(ValueError, match="twice"):
        verbs_register(Clash)


def test_many_cases_get_one_system_event_each(case):
    timeline.record_many(case_ids=[case.pk], verb=Verb.STATUS_CHANGED, data={"x": 1})
    event = CaseEvent.objects.get(case=case, verb=Verb.STATUS_CHANGED)
    assert (event.actor, event.data) == (None, {"x": 1})
