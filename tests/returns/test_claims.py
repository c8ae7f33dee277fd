"""Submitting a claim: refused with the reason and the date or rule (nothing created), or made
and approved at once where the policy allows it; an agent's approval and rejection."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from returns.errors import AlreadyClaimed, ClaimInvalid, InvalidReturnTransition, ReasonRequired
from returns.models import ReturnLine, ReturnRequest
from returns.services.claims import (
    LineClaim,
    abuse_signals,
    return_request_approve,
    return_request_reject,
    return_request_submit,
)
from returns.verbs import Verb
from tests.returns.factories import noon, order_line
from tests.tickets.factories import OrderFactory, agent
from tickets.models import Case, CaseEvent, ExchangeRate, Notification

pytestmark = pytest.mark.django_db

S = ReturnRequest.Status


def submit(line, *, kind="return", quantity=1, reason="changed_mind", photos=(), **kwargs):
    return return_request_submit(
        order=line.order,
        kind=kind,
        lines=[LineClaim(order_line_id=line.pk, quantity=quantity, reason_code=reason)],
        preferred_outcome=kwargs.pop("outcome", "refund"),
        channel=Case.Channel.PORTAL,
        photo_ids=[photo.pk for photo in photos],
        **kwargs,
    )


def nothing_created(before: tuple[int, int, int]) -> bool:
    return before == counts()


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), ReturnRequest.objects.count(), ReturnLine.objects.count()


def test_a_return_within_the_window_is_approved_at_once(line):
    # When the customer returns one of the two kettles
    request = submit(line)

    # Then the RMA is approved by the policy on a new case of the return kind
    assert request.status == S.APPROVED and request.auto_approved
    assert request.rma.startswith("RMA-")
    case = Case.objects.get(pk=request.case_id)
    assert case.kind == Case.Kind.RETURN and case.status == Case.Status.OPEN
    assert [(r.order_line_id, r.quantity, r.reason_code) for r in request.lines.all()] == [
        (line.pk, 1, "changed_mind")
    ]
    # the decision is kept
    assert request.eligibility[0]["deadline"] == "2027-03-31"
    assert request.eligibility[0]["right"] == "return_window"
    # the timeline says what happened, and the customer is told in German
    verbs = list(CaseEvent.objects.filter(case=case).values_list("verb", flat=True))
    assert Verb.REQUESTED in verbs and Verb.APPROVED in verbs
    approved = Notification.objects.get(template="return_approved", channel="email")
    assert request.rma in approved.subject and approved.language == "de"


def test_a_defect_claim_gets_the_defect_kind_and_keeps_its_photos(line, photo):
    request = submit(line, kind="defect", reason="stopped_working", photos=[photo])

    assert request.case.kind == Case.Kind.DEFECT
    assert list(request.photos.all()) == [photo]
    assert request.status == S.APPROVED


@pytest.mark.parametrize(
    ("setup", "claim", "field", "code", "words"),
    [
        ("late", {}, "lines[0].order_line", "outside_window", "31. März 2027"),
        ("excluded", {}, "lines[0].order_line", "excluded_product", "KETTLE-*"),
        ("", {"quantity": 3}, "lines[0].quantity", "above_bought", "2"),
        ("", {"kind": "defect", "reason": "stopped_working"}, "photos", "photo_required", "Foto"),
        ("", {"reason": "stopped_working"}, "lines[0].reason_code", "invalid", ""),
    ],
    ids=[
        "outside-window",
        "excluded-sku",
        "above-bought",
        "photo-missing",
        "reason-of-the-other-kind",
    ],
)
def test_a_claim_that_cannot_be_made_is_refused_and_creates_nothing(
    line, policy, time_machine, setup, claim, field, code, words
):
    if setup == "late":
        time_machine.move_to(noon(date(2027, 4, 2)), tick=False)
    if setup == "excluded":
        policy.excluded_skus = "KETTLE-*"
        policy.save()
    before = counts()

    with translation.override("de"), pytest.raises(ClaimInvalid) as refused:
        submit(line, **claim)

    problem = refused.value.problems[0]
    assert (problem.field, problem.code) == (field, code)
    assert words in problem.message
    assert nothing_created(before)


def test_a_second_claim_for_the_same_units_points_to_the_first(line):
    first = submit(line, quantity=2)
    before = counts()

    with pytest.raises(AlreadyClaimed) as refused:
        submit(line, quantity=1)

    assert refused.value.rma == first.rma
    assert first.rma in refused.value.message
    assert nothing_created(before)


def test_the_units_left_can_still_be_claimed(line):
    first = submit(line, quantity=1)
    second = submit(line, quantity=1)
    assert second.rma != first.rma
    # The two requests hold both units: a third is refused
    with pytest.raises(AlreadyClaimed):
        submit(line, quantity=1)


def test_a_rejected_claim_frees_its_units(line):
    rejected = submit(line, quantity=2, outcome="refund")
    ReturnRequest.objects.filter(pk=rejected.pk).update(status=S.REQUESTED)
    return_request_reject(return_request=rejected, actor=agent(username="ana"), reason="No")

    again = submit(line, quantity=2)

    assert again.status == S.APPROVED


def test_a_claim_worth_more_than_the_policy_allows_waits_for_an_agent(line, policy):
    policy.auto_approve_max_value = Decimal("40.00")
    policy.save()

    request = submit(line)

    assert request.status == S.REQUESTED and not request.auto_approved
    assert not Notification.objects.filter(template="return_approved").exists()


def test_a_return_without_no_questions_asked_waits_for_an_agent(line, policy):
    policy.no_questions_asked = False
    policy.save()

    assert submit(line).status == S.REQUESTED


def test_a_defect_with_its_photo_is_approved_without_no_questions_asked(line, policy, photo):
    policy.no_questions_asked = False
    policy.save()

    request = submit(line, kind="defect", reason="dead_on_arrival", photos=[photo])

    assert request.status == S.APPROVED


def test_a_claim_in_another_currency_is_compared_in_the_base_currency(policy, today):
    line = order_line(
        placed=date(2027, 2, 25), delivered=date(2027, 3, 1), currency="JPY", unit_price="20000"
    )
    # Without a rate nobody can say it is under the limit: an agent decides
    assert submit(line).status == S.REQUESTED
    ExchangeRate.objects.create(currency="JPY", rate=Decimal("0.0062"))
    other = order_line(
        placed=date(2027, 2, 25),
        delivered=date(2027, 3, 1),
        currency="JPY",
        unit_price="20000",
        customer=line.order.customer,
    )
    # 20000 JPY is 124 EUR: under the 200 EUR limit
    assert submit(other).status == S.APPROVED


def test_an_outlier_is_flagged_for_review_instead_of_approved(line):
    customer = line.order.customer
    for _ in range(2):
        earlier = order_line(
            placed=date(2027, 2, 25), delivered=date(2027, 3, 1), customer=customer
        )
        refused = submit(earlier, outcome="refund")
        ReturnRequest.objects.filter(pk=refused.pk).update(status=S.REJECTED)

    request = submit(line)

    assert request.status == S.REQUESTED
    assert "2" in request.review_reason
    assert CaseEvent.objects.filter(case=request.case, verb=Verb.FLAGGED).exists()


def test_abuse_signals_count_returns_over_orders(line):
    customer = line.order.customer
    OrderFactory(customer=customer)
    submit(line)

    signals = abuse_signals(customer_id=customer.pk)

    assert (signals.orders, signals.returns, signals.rejected) == (2, 1, 0)
    assert signals.flag == ""


def test_an_agent_approves_a_waiting_request_once(line, policy):
    policy.auto_approve_max_value = None
    policy.save()
    request = submit(line)
    ana = agent(username="ana")

    approved = return_request_approve(return_request=request, actor=ana)

    assert approved.status == S.APPROVED and approved.decided_by == ana
    assert CaseEvent.objects.filter(case=request.case, verb=Verb.APPROVED, actor=ana).exists()
    assert Notification.objects.filter(template="return_approved", case=request.case).exists()
    with pytest.raises(InvalidReturnTransition):
        return_request_approve(return_request=approved, actor=ana)


def test_an_agent_rejects_with_a_reason_the_customer_reads(line, policy):
    policy.auto_approve_max_value = None
    policy.save()
    request = submit(line)
    ana = agent(username="ana")

    with pytest.raises(ReasonRequired):
        return_request_reject(return_request=request, actor=ana, reason="  ")
    request.refresh_from_db()
    assert request.status == S.REQUESTED

    rejected = return_request_reject(
        return_request=request, actor=ana, reason="Der Artikel wurde benutzt."
    )

    assert rejected.status == S.REJECTED
    assert rejected.rejection_reason == "Der Artikel wurde benutzt."
    assert Case.objects.get(pk=request.case_id).status == Case.Status.RESOLVED
    email = Notification.objects.get(template="return_rejected", channel="email")
    assert "Der Artikel wurde benutzt." in email.body
    with pytest.raises(InvalidReturnTransition):
        return_request_approve(return_request=rejected, actor=ana)


# --- the decision is the customer's first answer -----------------------------------------------


def test_the_decision_emailed_stops_the_first_response_clock(line, policy, time_machine):
    policy.auto_approve_max_value = None
    policy.save()
    waiting = submit(line)
    case = Case.objects.get(pk=waiting.case_id)
    # waiting for an agent, nobody has answered: the first response runs
    assert case.first_responded_at is None and case.sla_due == case.first_response_due

    time_machine.shift(timedelta(hours=2))
    return_request_approve(return_request=waiting, actor=agent(username="ana"))

    case.refresh_from_db()
    assert case.first_responded_at == case.created_at + timedelta(hours=2)
    # (no address, no label yet: the case is open) the resolution runs on
    assert case.sla_due == case.resolution_due


def test_an_approval_by_the_policy_answers_at_once_and_a_rejection_answers_too(line, policy):
    approved = submit(line)
    assert approved.auto_approved
    assert Case.objects.get(pk=approved.case_id).first_responded_at is not None

    policy.auto_approve_max_value = None
    policy.save()
    waiting = submit(line)  # the second kettle
    return_request_reject(return_request=waiting, actor=agent(username="ana"), reason="Worn.")
    assert Case.objects.get(pk=waiting.case_id).first_responded_at is not None
