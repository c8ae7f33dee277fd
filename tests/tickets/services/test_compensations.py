from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tests.tickets.factories import CaseFactory, ExchangeRateFactory, OrderFactory
from tickets.agent.workspace_timeline import actor_name
from tickets.errors import (
    CaseClosed,
    InvalidCompensationTransition,
    MissingExchangeRate,
    NotAllowed,
)
from tickets.models import Case, CaseEvent, Compensation
from tickets.services.compensations import (
    compensation_approve,
    compensation_cancel,
    compensation_mark_failed,
    compensation_mark_issued,
    compensation_propose,
    compensation_reject,
)

CS = Compensation.Status
REFUND = Compensation.Kind.REFUND

# The service that makes each move; nothing moves a compensation back to proposed.
MOVE = {
    CS.APPROVED: lambda c, actor: compensation_approve(compensation=c, actor=actor),
    CS.ISSUED: lambda c, actor: compensation_mark_issued(
        compensation=c, actor=actor, external_reference="re_123"
    ),
    CS.FAILED: lambda c, actor: compensation_mark_failed(
        compensation=c, actor=actor, reason="card declined"
    ),
    CS.REJECTED: lambda c, actor: compensation_reject(
        compensation=c, actor=actor, reason="goodwill already given"
    ),
    CS.CANCELLED: lambda c, actor: compensation_cancel(
        compensation=c, actor=actor, reason="customer kept the item"
    ),
}
# sorted: frozenset order follows the hash seed and xdist workers must agree on test ids.
ALLOWED = [
    (src, dst) for src, targets in Compensation.TRANSITIONS.items() for dst in sorted(targets)
]
FORBIDDEN = [
    (src, dst) for src in CS.values for dst in MOVE if dst not in Compensation.TRANSITIONS[src]
]


@pytest.fixture
def threshold(settings):
    settings.BASE_CURRENCY = "EUR"
    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("100.00")
    return settings.COMPENSATION_APPROVAL_THRESHOLD


def _propose(case, amount, actor, **kwargs):
    return compensation_propose(
        case=case, kind=REFUND, amount=Decimal(amount), actor=actor, **kwargs
    )


def _verbs(case):
    return list(case.events.values_list("verb", flat=True))


# --- propose and approve ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_euro_amount_within_the_limit_is_approved_at_once(case, agent_user, threshold):
    # given a case on a EUR order
    # when an agent proposes a refund up to the limit
    proposed = _propose(case, "100.00", agent_user)
    # then it is stored approved, in EUR at rate 1, with both events
    stored = Compensation.objects.get()
    assert (stored.status, stored.needs_supervisor) == (CS.APPROVED, False)
    assert (stored.amount, stored.currency) == (Decimal("100.00"), "EUR")
    assert (stored.base_amount, stored.base_currency, stored.exchange_rate) == (
        Decimal("100.00"),
        "EUR",
        Decimal(1),
    )
    assert stored.proposed_by == agent_user
    assert _verbs(case) == ["compensation_proposed", "compensation_approved"]
    # and the caller is handed what was stored, not the pre-approval copy
    assert proposed.status == CS.APPROVED


@pytest.mark.django_db
def test_an_approval_at_once_records_who_and_when(case, agent_user, threshold):
    # when an agent's proposal within the limit is approved at once
    _propose(case, "20.00", agent_user)
    # then the approval is attributed like one a supervisor gives
    stored = Compensation.objects.get()
    assert stored.approved_by == agent_user
    assert stored.approved_at is not None


@pytest.mark.django_db
def test_a_customers_choice_is_theirs_its_approval_and_payout_the_systems(case, threshold):
    # when the customer's choice in the portal proposes a refund within the limit
    approved = _propose(case, "20.00", None, by_customer=True)
    assert approved.proposed_by_customer
    # and the payment provider pays it out
    compensation_mark_issued(compensation=approved, actor=None, external_reference="re_9")
    # then the timeline names the customer for the choice, the system for the rest
    events = CaseEvent.objects.filter(case=case, verb__startswith="compensation_").order_by("pk")
    assert [(e.verb, actor_name(e)) for e in events] == [
        ("compensation_proposed", "Customer"),
        ("compensation_approved", "System"),
        ("compensation_issued", "System"),
    ]


@pytest.mark.django_db
def test_a_proposal_the_system_makes_is_the_systems(case, threshold):
    # when a carrier's scan releases a refund, or an insurer pays out: no person proposed it
    proposed = _propose(case, "20.00", None)
    assert not proposed.proposed_by_customer
    events = CaseEvent.objects.filter(case=case, verb__startswith="compensation_").order_by("pk")
    assert [(e.verb, actor_name(e)) for e in events] == [
        ("compensation_proposed", "System"),
        ("compensation_approved", "System"),
    ]


@pytest.mark.django_db
def test_an_amount_above_the_limit_waits_for_a_supervisor(case, agent_user, threshold):
    # when an agent proposes more than the limit
    proposed = _propose(case, "100.01", agent_user)
    # then it stays proposed and flagged
    stored = Compensation.objects.get()
    assert (proposed.status, stored.status, stored.needs_supervisor) == (
        CS.PROPOSED,
        CS.PROPOSED,
        True,
    )
    assert (stored.approved_by, stored.approved_at) == (None, None)
    assert _verbs(case) == ["compensation_proposed"]


@pytest.mark.django_db
def test_the_limit_comes_from_settings(case, agent_user, settings):
    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("10.00")
    _propose(case, "10.50", agent_user)
    assert Compensation.objects.get().status == CS.PROPOSED


@pytest.mark.django_db
def test_an_agent_cannot_approve_above_the_limit(case, agent_user, threshold):
    # given a proposal above the limit
    compensation = _propose(case, "250.00", agent_user)
    # when the agent approves it
    with pytest.raises(NotAllowed) as excinfo:
        compensation_approve(compensation=compensation, actor=agent_user)
    # then it is refused and stays proposed
    assert str(excinfo.value) == "Only a supervisor can approve compensation above the limit."
    compensation.refresh_from_db()
    assert compensation.status == CS.PROPOSED
    assert _verbs(case) == ["compensation_proposed"]


@pytest.mark.django_db
def test_the_system_cannot_approve_above_the_limit(case, agent_user, threshold):
    compensation = _propose(case, "250.00", agent_user)
    with pytest.raises(NotAllowed):
        compensation_approve(compensation=compensation, actor=None)
    compensation.refresh_from_db()
    assert compensation.status == CS.PROPOSED


@pytest.mark.django_db
def test_a_supervisor_approves_above_the_limit(case, agent_user, supervisor_user, threshold):
    # given a proposal above the limit
    compensation = _propose(case, "250.00", agent_user)
    # when a supervisor approves it
    approved = compensation_approve(compensation=compensation, actor=supervisor_user)
    # then it is approved, attributed and on the timeline
    compensation.refresh_from_db()
    assert (approved.status, compensation.status) == (CS.APPROVED, CS.APPROVED)
    assert compensation.approved_by == supervisor_user
    assert compensation.approved_at is not None
    event = case.events.get(verb="compensation_approved")
    assert event.actor == supervisor_user
    assert event.data["status"] == CS.APPROVED


# --- currencies -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_yen_amount_is_converted_to_euro_cents(agent_user, threshold):
    # given a JPY order and a rate of 0.0061234 EUR per yen
    case = CaseFactory(
        order=OrderFactory(currency="JPY", subtotal=3000, total=3000, shipping_total=0)
    )
    ExchangeRateFactory(currency="JPY", rate=Decimal("0.0061234"))
    # when 1500 yen are proposed (in the order's currency by default)
    _propose(case, "1500", agent_user)
    # then the base amount is 9.1851 EUR rounded to cents, with the rate used kept
    stored = Compensation.objects.get()
    assert (stored.amount, stored.currency) == (Decimal(1500), "JPY")
    assert stored.base_amount == Decimal("9.19")
    assert stored.exchange_rate == Decimal("0.0061234")
    assert stored.base_currency == "EUR"
    assert stored.status == CS.APPROVED


@pytest.mark.django_db
def test_a_yen_amount_with_decimals_is_refused_naming_the_amount(agent_user, threshold):
    case = CaseFactory(
        order=OrderFactory(currency="JPY", subtotal=3000, total=3000, shipping_total=0)
    )
    ExchangeRateFactory(currency="JPY")
    with pytest.raises(ValidationError) as excinfo:
        _propose(case, "1500.50", agent_user)
    assert excinfo.value.message_dict == {"amount": ["JPY amounts have 0 decimal places."]}
    assert (Compensation.objects.count(), CaseEvent.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_an_unknown_currency_is_refused(case, agent_user, threshold):
    with pytest.raises(ValidationError) as excinfo:
        _propose(case, "10.00", agent_user, currency="EUX")
    assert excinfo.value.message_dict["currency"] == [
        "EUX is not an ISO-4217 currency code such as EUR, USD or JPY."
    ]
    assert Compensation.objects.count() == 0


@pytest.mark.django_db
def test_a_negative_amount_is_refused_with_a_validation_error(case, agent_user, threshold):
    # when an agent proposes a negative refund
    # then it is refused as bad input naming the amount (a 4xx), not by a database error (a 500)
    with pytest.raises(ValidationError) as excinfo:
        _propose(case, "-10.00", agent_user)
    assert "amount" in excinfo.value.message_dict
    assert (Compensation.objects.count(), CaseEvent.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_currency_without_exchange_rate_is_refused(case, agent_user, threshold):
    with pytest.raises(MissingExchangeRate) as excinfo:
        _propose(case, "1500", agent_user, currency="JPY")
    assert excinfo.value.code == "missing_exchange_rate"
    assert str(excinfo.value) == "There is no exchange rate for JPY yet; add one first."
    assert (Compensation.objects.count(), CaseEvent.objects.count()) == (0, 0)


# --- issued / failed: the transition table ----------------------------------------------------


def _compensation_in(case, status, actor):
    """A stored compensation in `status`; the factory way of setting a starting state."""
    compensation = _propose(case, "500.00", actor)  # above the limit: stays proposed
    Compensation.objects.filter(pk=compensation.pk).update(status=status)
    CaseEvent.objects.all().delete()
    compensation.refresh_from_db()
    return compensation


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_move_is_made_and_recorded(source, target, case, supervisor_user, threshold):
    # given a compensation in `source`
    compensation = _compensation_in(case, source, supervisor_user)
    # when it moves to `target`
    moved = MOVE[target](compensation, supervisor_user)
    # then the row and the timeline show it
    compensation.refresh_from_db()
    assert moved.status == compensation.status == target
    event = case.events.get()
    assert (event.verb, event.actor) == (f"compensation_{target}", supervisor_user)
    assert (event.data["compensation"], event.data["status"]) == (compensation.pk, target)


@pytest.mark.django_db
@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_every_forbidden_move_is_refused_and_changes_nothing(
    source, target, case, supervisor_user, threshold
):
    compensation = _compensation_in(case, source, supervisor_user)
    with pytest.raises(InvalidCompensationTransition) as excinfo:
        MOVE[target](compensation, supervisor_user)
    assert excinfo.value.code == "invalid_transition"
    assert "cannot become" in str(excinfo.value)
    compensation.refresh_from_db()
    assert compensation.status == source
    assert case.events.count() == 0


@pytest.mark.django_db
def test_issuing_keeps_the_external_reference_and_time(case, supervisor_user, threshold):
    compensation = _compensation_in(case, CS.APPROVED, supervisor_user)
    compensation_mark_issued(
        compensation=compensation, actor=supervisor_user, external_reference="re_9"
    )
    compensation.refresh_from_db()
    assert compensation.external_reference == "re_9"
    assert compensation.issued_at is not None


@pytest.mark.django_db
def test_a_failure_keeps_its_reason_and_can_be_issued_later(case, supervisor_user, threshold):
    compensation = _compensation_in(case, CS.APPROVED, supervisor_user)
    compensation_mark_failed(
        compensation=compensation, actor=supervisor_user, reason="card declined"
    )
    compensation.refresh_from_db()
    assert (compensation.status, compensation.failure_reason) == (CS.FAILED, "card declined")
    compensation_mark_issued(compensation=compensation, actor=supervisor_user)
    compensation.refresh_from_db()
    assert compensation.status == CS.ISSUED
    assert _verbs(case) == ["compensation_failed", "compensation_issued"]


def test_the_table_covers_every_status_and_ends_in_final_ones():
    # every status has its row, and issued, rejected and cancelled lead nowhere
    assert set(Compensation.TRANSITIONS) == set(CS.values)
    assert {s for s, targets in Compensation.TRANSITIONS.items() if not targets} == {
        CS.ISSUED,
        CS.REJECTED,
        CS.CANCELLED,
    }
    assert Compensation.TRANSITIONS[CS.PROPOSED] == {CS.APPROVED, CS.REJECTED}
    assert CS.CANCELLED in Compensation.TRANSITIONS[CS.APPROVED]


# --- rejected / cancelled: with a reason ------------------------------------------------------


@pytest.mark.django_db
def test_a_rejection_keeps_its_reason_on_the_row_and_the_timeline(case, supervisor_user, threshold):
    # given a proposal waiting for a supervisor
    compensation = _compensation_in(case, CS.PROPOSED, supervisor_user)
    # when the supervisor rejects it, saying why
    rejected = compensation_reject(
        compensation=compensation, actor=supervisor_user, reason="  outside the warranty "
    )
    # then it is rejected with the reason, and the timeline says who and why
    compensation.refresh_from_db()
    assert (rejected.status, compensation.status) == (CS.REJECTED, CS.REJECTED)
    assert compensation.reason == "outside the warranty"
    event = case.events.get()
    assert (event.verb, event.actor) == ("compensation_rejected", supervisor_user)
    assert event.data["reason"] == "outside the warranty"


@pytest.mark.django_db
def test_a_cancellation_keeps_its_reason(case, supervisor_user, threshold):
    compensation = _compensation_in(case, CS.APPROVED, supervisor_user)
    compensation_cancel(compensation=compensation, actor=supervisor_user, reason="duplicate")
    compensation.refresh_from_db()
    assert (compensation.status, compensation.reason) == (CS.CANCELLED, "duplicate")
    assert case.events.get().data["reason"] == "duplicate"


@pytest.mark.django_db
@pytest.mark.parametrize("target", [CS.REJECTED, CS.CANCELLED, CS.FAILED])
def test_a_move_that_must_say_why_refuses_an_empty_reason(target, case, supervisor_user, threshold):
    # given a compensation that could make the move
    source = CS.PROPOSED if target == CS.REJECTED else CS.APPROVED
    compensation = _compensation_in(case, source, supervisor_user)
    service = {
        CS.REJECTED: compensation_reject,
        CS.CANCELLED: compensation_cancel,
        CS.FAILED: compensation_mark_failed,
    }[target]
    # when it is made with a blank reason
    with pytest.raises(ValidationError) as excinfo:
        service(compensation=compensation, actor=supervisor_user, reason="  ")
    # then it is refused naming the reason, and nothing changes
    assert list(excinfo.value.message_dict) == [
        "failure_reason" if target == CS.FAILED else "reason"
    ]
    compensation.refresh_from_db()
    assert compensation.status == source
    assert case.events.count() == 0


@pytest.mark.django_db
def test_a_reason_longer_than_the_column_is_refused(case, supervisor_user, threshold):
    compensation = _compensation_in(case, CS.PROPOSED, supervisor_user)
    with pytest.raises(ValidationError) as excinfo:
        compensation_reject(compensation=compensation, actor=supervisor_user, reason="x" * 501)
    assert "reason" in excinfo.value.message_dict
    compensation.refresh_from_db()
    assert compensation.status == CS.PROPOSED


# --- the case: closed cases refuse, proposals lock ---------------------------------------------


@pytest.mark.django_db
def test_a_closed_case_refuses_a_new_proposal(agent_user, threshold):
    # given a closed case
    case = CaseFactory(status=Case.Status.CLOSED)
    # when an agent proposes compensation on it
    with pytest.raises(CaseClosed) as excinfo:
        _propose(case, "10.00", agent_user)
    # then it is refused with a stable code and a message naming the case, and nothing is stored
    assert excinfo.value.code == "case_closed"
    assert isinstance(excinfo.value, NotAllowed)
    assert str(excinfo.value) == f"Case {case.number} is closed."
    assert (Compensation.objects.count(), CaseEvent.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_a_resolved_case_still_takes_a_proposal(agent_user, threshold):
    case = CaseFactory(status=Case.Status.RESOLVED)
    assert _propose(case, "10.00", agent_user).status == CS.APPROVED


@pytest.mark.django_db
def test_a_proposal_locks_its_case_before_reading_it(case, agent_user, threshold):
    # given a way to see which rows are locked
    locked = []
    original = QuerySet.select_for_update

    def spy(queryset, *args, **kwargs):
        locked.append(queryset.model)
        return original(queryset, *args, **kwargs)

    # when a proposal is made
    with mock.patch.object(QuerySet, "select_for_update", spy):
        _propose(case, "10.00", agent_user)
    # then the case was locked first (then the new row, by the approval at once)
    assert locked[0] is Case
    assert locked[1:] == [Compensation]


@pytest.mark.django_db
def test_a_yen_amount_is_on_the_timeline_in_whole_yen(agent_user, supervisor_user, threshold):
    # given a JPY case
    case = CaseFactory(
        order=OrderFactory(currency="JPY", subtotal=3000, total=3000, shipping_total=0)
    )
    ExchangeRateFactory(currency="JPY", rate=Decimal("0.0061234"))
    # when 1500 yen are proposed, approved at once and issued (each event reads the stored row)
    compensation = _propose(case, "1500", agent_user)
    compensation_mark_issued(compensation=compensation, actor=supervisor_user)
    # then every event holds "1500", not the column's "1500.000"
    assert {e.data["amount"] for e in case.events.all()} == {"1500"}


@pytest.mark.django_db
def test_an_amount_too_large_in_the_base_currency_is_refused(agent_user, threshold):
    # given a rate above 1 (3.25 EUR per KWD)
    ExchangeRateFactory(currency="KWD", rate=Decimal("3.25"))
    case = CaseFactory()
    # when the largest storable KWD amount is proposed, whose euro value no longer fits
    with pytest.raises(ValidationError) as excinfo:
        _propose(case, "99999999999.999", agent_user, currency="KWD")
    # then it is refused as bad input naming the amount, never a database overflow
    assert list(excinfo.value.message_dict) == ["amount"]
    assert Compensation.objects.count() == 0
