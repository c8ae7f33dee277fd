"""A case's SLA clocks through the writes that move them: first response versus the update
target, pauses while waiting, a customer reply on a waiting case, a policy switched off
mid-case, a priority change."""

import datetime as dt

import pytest

from tests.tickets.sla.conftest import WEDNESDAY_10
from tickets.models import Case, Message
from tickets.services.cases import case_create, case_set_priority, case_transition
from tickets.services.messages import message_add
from tickets.services.sla import sla_policy_set_active

MIN = dt.timedelta(minutes=1)
S = Case.Status


def _open(customer, **kwargs):
    kwargs.setdefault("kind", Case.Kind.GENERAL)
    return case_create(customer=customer, subject="Where is it?", channel="portal", **kwargs)


def _reply(case, agent, visibility=Message.Visibility.PUBLIC):
    message_add(case=case, body="On it.", author_kind="agent", actor=agent, visibility=visibility)
    case.refresh_from_db()


def _customer_writes(case):
    message_add(case=case, body="Any news?", author_kind="customer", actor=None)
    case.refresh_from_db()


def _move(case, to, agent):
    case.refresh_from_db()
    case_transition(case=case, to=to, actor=agent, reason="")
    case.refresh_from_db()


@pytest.mark.django_db
def test_a_new_case_runs_first_response_and_resolution(customer, policy, at):
    at(WEDNESDAY_10)
    case = _open(customer)
    case.refresh_from_db()
    assert case.first_response_due == WEDNESDAY_10 + 60 * MIN
    assert case.resolution_due == WEDNESDAY_10 + 480 * MIN
    assert case.next_response_due is None
    assert case.sla_due == case.first_response_due


@pytest.mark.django_db
def test_first_response_is_stopped_by_a_public_reply_not_by_a_note(
    customer, policy, agent_user, at
):
    at(WEDNESDAY_10)
    case = _open(customer)
    at(minutes=10)
    _reply(case, agent_user, visibility=Message.Visibility.INTERNAL)
    assert case.first_responded_at is None
    assert case.sla_due == WEDNESDAY_10 + 60 * MIN
    at(minutes=10)
    _reply(case, agent_user)
    assert case.first_responded_at == WEDNESDAY_10 + 20 * MIN
    # then only resolution runs
    assert case.sla_due == case.resolution_due


@pytest.mark.django_db
def test_the_update_target_starts_at_a_customer_message_after_the_first_response(
    customer, policy, agent_user, at
):
    at(WEDNESDAY_10)
    case = _open(customer, description="It has not come.")
    # the customer's first words do not start an update clock: first response runs
    assert case.next_response_due is None
    at(minutes=5)
    _reply(case, agent_user)
    at(minutes=60)
    _customer_writes(case)
    assert case.next_response_due == WEDNESDAY_10 + 65 * MIN + 30 * MIN
    assert case.sla_due == case.next_response_due
    # a second message before our answer keeps the older, earlier due time
    at(minutes=10)
    _customer_writes(case)
    assert case.next_response_due == WEDNESDAY_10 + 95 * MIN
    # and our reply stops it
    at(minutes=5)
    _reply(case, agent_user)
    assert case.next_response_due is None
    assert case.sla_due == case.resolution_due


@pytest.mark.django_db
def test_a_policy_without_an_update_target_starts_none(customer, policy, agent_user, at):
    policy.next_response_minutes = None
    policy.save()
    at(WEDNESDAY_10)
    case = _open(customer)
    _reply(case, agent_user)
    _customer_writes(case)
    assert case.next_response_due is None


@pytest.mark.django_db
def test_waiting_on_the_customer_pauses_and_their_reply_resumes_pushed_by_the_pause(
    customer, policy, agent_user, at
):
    at(WEDNESDAY_10)
    case = _open(customer)
    _move(case, S.OPEN, agent_user)
    at(minutes=10)
    _reply(case, agent_user)
    _move(case, S.WAITING_ON_CUSTOMER, agent_user)
    # then the clocks stand still: no SLA due, paused since now
    assert case.sla_due is None
    assert case.sla_paused_at == WEDNESDAY_10 + 10 * MIN
    # when the customer answers two hours later
    at(minutes=120)
    _customer_writes(case)
    # then the case is open again, the resolution is due two hours later than it was, and the
    # update clock starts now (not pushed by the wait)
    assert case.status == S.OPEN
    assert case.sla_paused_at is None
    assert case.resolution_due == WEDNESDAY_10 + (480 + 120) * MIN
    assert case.next_response_due == WEDNESDAY_10 + (130 + 30) * MIN
    assert case.sla_due == case.next_response_due


@pytest.mark.django_db
def test_waiting_on_the_carrier_and_on_a_return_pause_too(customer, policy, agent_user, at):
    for waiting in (S.WAITING_ON_CARRIER, S.WAITING_ON_RETURN):
        at(WEDNESDAY_10)
        case = _open(customer)
        _move(case, S.OPEN, agent_user)
        _move(case, waiting, agent_user)
        assert case.sla_due is None
        at(minutes=30)
        _move(case, S.OPEN, agent_user)
        # the first response was not given: it too moves by the pause
        assert case.first_response_due == WEDNESDAY_10 + 90 * MIN
        assert case.sla_due == case.first_response_due


@pytest.mark.django_db
def test_the_pause_counts_in_business_hours(customer, policy, berlin_team, agent_user, at):
    # given a policy counted in the Berlin team's hours (9-17, Mon-Fri)
    policy.calendar = berlin_team
    policy.save()
    friday_16 = dt.datetime(2026, 7, 17, 14, 0, tzinfo=dt.UTC)
    at(friday_16)
    case = _open(customer)
    # 60 working minutes from Friday 16:00 Berlin: Friday 17:00
    assert case.first_response_due == friday_16 + 60 * MIN
    _move(case, S.OPEN, agent_user)
    _move(case, S.WAITING_ON_CARRIER, agent_user)
    # when it waits over the weekend until Monday 9:30 Berlin
    at(dt.datetime(2026, 7, 20, 7, 30, tzinfo=dt.UTC))
    _move(case, S.OPEN, agent_user)
    # then the pause was 1 h Friday + 30 m Monday of working time, and the hour that was left
    # at the pause runs from now: due Monday 10:30 Berlin
    assert case.first_response_due == dt.datetime(2026, 7, 20, 8, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_policy_switched_off_mid_case_stops_its_clocks(customer, policy, agent_user, at):
    at(WEDNESDAY_10)
    case = _open(customer)
    other = _open(customer, kind=Case.Kind.DEFECT)
    # when the supervisor switches the general/normal policy off
    stopped = sla_policy_set_active(policy=policy, active=False)
    # then its running targets stop: no due time, no badge, no alert; other kinds run on
    assert stopped == 1
    case.refresh_from_db()
    other.refresh_from_db()
    assert (case.first_response_due, case.resolution_due, case.sla_due) == (None, None, None)
    assert other.sla_due is not None
    # and nothing restarts them: a customer message starts no update clock
    _reply(case, agent_user)
    _customer_writes(case)
    assert case.sla_due is None
    # a new case of the kind gets no targets while the policy is off
    assert _open(customer).sla_due is None


@pytest.mark.django_db
def test_resolving_stops_and_reopening_resumes_the_resolution(customer, policy, agent_user, at):
    at(WEDNESDAY_10)
    case = _open(customer)
    _move(case, S.OPEN, agent_user)
    _reply(case, agent_user)
    _move(case, S.RESOLVED, agent_user)
    assert case.sla_due is None
    at(minutes=60)
    _customer_writes(case)  # reopens it
    assert case.status == S.OPEN
    assert case.resolution_due == WEDNESDAY_10 + (480 + 60) * MIN


@pytest.mark.django_db
def test_a_priority_change_moves_targets_by_the_new_policy_keeping_pauses(
    customer, policy, agent_user, at
):
    at(WEDNESDAY_10)
    case = _open(customer)
    _move(case, S.OPEN, agent_user)
    _move(case, S.WAITING_ON_CARRIER, agent_user)
    at(minutes=30)
    _move(case, S.OPEN, agent_user)
    assert case.first_response_due == WEDNESDAY_10 + 90 * MIN
    # when it becomes urgent (general/urgent: 120 min first response, 1440 resolution)
    case_set_priority(case=case, priority=Case.Priority.URGENT, actor=agent_user)
    case.refresh_from_db()
    # then the due times follow the urgent policy, still 30 minutes later for the pause
    assert case.first_response_due == WEDNESDAY_10 + (120 + 30) * MIN
    assert case.resolution_due == WEDNESDAY_10 + (1440 + 30) * MIN
    assert case.sla_due == case.first_response_due
