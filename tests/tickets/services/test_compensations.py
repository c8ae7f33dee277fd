from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.tickets.factories import CaseFactory, ExchangeRateFactory, OrderFactory
from tickets.errors import MissingExchangeRate, NotAllowed
from tickets.models import CaseEvent, Compensation
from tickets.services.compensations import (
    compensation_approve,
    compensation_mark_failed,
    compensation_mark_issued,
    compensation_propose,
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
    with pytest.raises(NotAllowed) as excinfo:
        MOVE[target](compensation, supervisor_user)
    assert excinfo.value.code == "not_allowed"
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
