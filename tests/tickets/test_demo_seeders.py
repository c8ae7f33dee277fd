"""The order seed_demo runs the apps' seeders in (by name, each after those it waits for), and
how a seeder dates a case it played back into the past."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.tickets.factories import CustomerFactory
from tickets import demo_seeders as registry
from tickets.demo_seeders import Replay, case_date_back, demo_seeder_register, demo_seeders
from tickets.models import Case, SLAPolicy
from tickets.services.cases import case_create, case_transition
from tickets.services.messages import message_add

PLAYED = datetime(2026, 7, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def empty(monkeypatch):
    monkeypatch.setattr(registry, "_SEEDERS", {})


def _seeder(context):
    return ""


def test_by_name_then_after_those_named(empty):
    for name, after in (("returns", ("shipments",)), ("shipments", ()), ("alpha", ("nobody",))):
        demo_seeder_register(name, _seeder, after=after)
    assert [name for name, _seeder in demo_seeders()] == ["alpha", "shipments", "returns"]


def test_the_installed_apps_seed_parcels_before_return_labels():
    names = [name for name, _seeder in demo_seeders()]
    assert names.index("shipments") < names.index("returns")


def test_a_name_is_taken_once_and_a_loop_is_refused(empty):
    demo_seeder_register("a", _seeder, after=("b",))
    with pytest.raises(ValueError, match="already registered"):
        demo_seeder_register("a", lambda context: "", after=())
    demo_seeder_register("b", _seeder, after=("a",))
    with pytest.raises(ValueError, match="wait for each other"):
        demo_seeders()


@pytest.mark.django_db
def test_a_case_dated_back_runs_its_clocks_as_it_would_have(agent_user, time_machine):
    # given a general case (24/7 policy: first response 60 min, resolution 480 min) played in
    # a moment: opened, answered, waiting on the customer, back, resolved
    SLAPolicy.objects.filter(kind=Case.Kind.GENERAL, priority=Case.Priority.NORMAL).update(
        first_response_minutes=60, next_response_minutes=None, resolution_minutes=480, calendar=None
    )
    time_machine.move_to(PLAYED, tick=False)
    opened = PLAYED - timedelta(days=3)
    replay = Replay()

    def step(planned):
        # a second later in the play, each step's times land on the planned one
        time_machine.shift(timedelta(seconds=1))
        replay.mark(planned)

    step(opened)
    case = case_create(
        customer=CustomerFactory(), kind="general", subject="Invoice", channel="portal"
    )
    step(opened + timedelta(minutes=30))
    message_add(case=case, body="Which order?", author_kind="agent", actor=agent_user)
    case = case_transition(case=Case.objects.get(pk=case.pk), to="open", actor=agent_user)
    case = case_transition(case=case, to="waiting_on_customer", actor=agent_user)
    step(opened + timedelta(days=1))  # the customer took a day to answer
    case = case_transition(case=case, to="open", actor=agent_user)
    step(opened + timedelta(days=1, hours=2))
    case = case_transition(case=case, to="resolved", actor=agent_user)

    case_date_back(Case.objects.get(pk=case.pk), replay)

    case.refresh_from_db()
    assert case.created_at == opened
    assert case.first_responded_at == opened + timedelta(minutes=30)
    assert case.first_response_due == opened + timedelta(minutes=60)
    # the day waiting on the customer pushed the resolution target: 2 h 30 min of work, met
    waited = timedelta(days=1) - timedelta(minutes=30)
    assert case.resolution_due == opened + timedelta(minutes=480) + waited
    assert case.resolved_at < case.resolution_due
    assert case.sla_due is None
    # and its timeline moved along
    assert case.events.order_by("created_at").first().created_at == opened
