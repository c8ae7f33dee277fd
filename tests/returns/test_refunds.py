"""Swift refunds: the decision (a compensation) apart from the money movement (transactions
pending → succeeded | failed, retried with a new one), the manual and Shopify payment
adapters, the policy's early release, and the two clocks agents see."""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from returns.errors import NoRefundToStart, RefundNotPending
from returns.models import RefundTransaction, ReturnPolicy, ReturnRequest
from returns.payments import RefundFailed, RefundSpec
from returns.payments.shopify import ShopifyRefundAdapter, refund_body
from returns.services import refunds
from returns.services.claims import return_request_reject
from returns.services.inspection import return_request_resolve
from returns.services.receipts import return_request_receive
from returns.services.refunds import (
    refund_clocks,
    refund_confirm,
    refund_execute,
    refund_fail,
    refund_start,
    refunds_sweep,
)
from returns.verbs import Verb
from tests.returns.factories import ReturnPolicyFactory, noon, order_line, timezone
from tests.returns.test_claims import submit
from tests.returns.test_inspection import inspected, received
from tests.returns.test_labels import ADDRESS
from tests.tickets.factories import agent, supervisor
from tests.tickets.webhooks.conftest import FIXTURES
from tickets.models import Compensation, Notification
from tickets.services.compensations import compensation_approve

pytestmark = pytest.mark.django_db

T = RefundTransaction.Status


def shopify_refund_answer() -> dict:
    """Shopify's published sample of a created refund (refund 509562969, one successful
    transaction)."""
    return json.loads((FIXTURES / "shopify_refund.json").read_text())


def refunded(line, **kwargs) -> ReturnRequest:
    """A received, inspected request resolved as a refund by an agent."""
    request = inspected(received(line, **kwargs))
    return_request_resolve(return_request=request, resolution="refund", actor=agent(username="ana"))
    return ReturnRequest.objects.get(pk=request.pk)


class FakeShopify:
    """Shopify's Admin API as its documentation answers: calculate suggests the order's
    payment, create answers with the published refund sample."""

    def __init__(self, *, refund=None, status=201, maximum="500.00"):
        self.calls: list[tuple[str, str, dict]] = []
        self.refund = refund if refund is not None else shopify_refund_answer()
        self.status = status
        self.maximum = maximum

    def __call__(self, method, path, body):
        self.calls.append((method, path, body))
        if path.endswith("/calculate.json"):
            suggested = {
                "order_id": 450789469,
                "kind": "suggested_refund",
                "gateway": "bogus",
                "parent_id": 801038806,
                "amount": self.maximum,
                "maximum_refundable": self.maximum,
                "currency": "EUR",
            }
            return 200, {"refund": {"transactions": [suggested]}}
        return self.status, self.refund


def test_a_manual_refund_is_pending_until_the_agent_confirms_it(line, policy):
    request = refunded(line)

    refund = request.refund_transactions.get()
    assert (refund.status, refund.adapter, refund.amount, refund.currency) == (
        T.PENDING,
        "manual",
        Decimal("50.000"),
        "EUR",
    )
    assert request.compensation.status == Compensation.Status.APPROVED
    assert request.refunded_at is None

    with pytest.raises(ValidationError) as refused:
        refund_confirm(refund=refund, reference="  ", actor=agent(username="ana"))
    assert "reference" in refused.value.message_dict
    assert RefundTransaction.objects.get(pk=refund.pk).status == T.PENDING

    done = refund_confirm(refund=refund, reference="shop-refund-77", actor=agent(username="ana"))

    assert (done.status, done.reference) == (T.SUCCEEDED, "shop-refund-77")
    request.refresh_from_db()
    request.compensation.refresh_from_db()
    assert request.compensation.status == Compensation.Status.ISSUED
    assert request.compensation.external_reference == "shop-refund-77"
    assert request.refunded_at is not None
    assert request.case.events.filter(verb=Verb.REFUNDED).exists()
    email = Notification.objects.get(template="return_refunded", channel="email")
    assert request.rma in email.subject and "50,00" in email.body  # a German customer

    with pytest.raises(RefundNotPending):
        refund_confirm(refund=done, reference="again", actor=None)
    with pytest.raises(NoRefundToStart):
        refund_start(return_request=request, actor=None)


def test_a_failed_refund_stays_visible_and_is_retried(line, policy):
    request = refunded(line)
    first = request.refund_transactions.get()
    with pytest.raises(NoRefundToStart):  # one attempt at a time
        refund_start(return_request=request, actor=None)
    with pytest.raises(ValidationError):
        refund_fail(refund=first, reason="", actor=None)

    refund_fail(refund=first, reason="Card expired", actor=agent(username="ana"))

    request.refresh_from_db()
    assert request.compensation.status == Compensation.Status.FAILED
    assert request.case.events.filter(verb=Verb.REFUND_FAILED).exists()
    second = refund_start(return_request=request, actor=agent(username="ana"))
    refund_confirm(refund=second, reference="bank-transfer-9", actor=agent(username="ana"))
    assert list(request.refund_transactions.values_list("status", "error")) == [
        (T.FAILED, "Card expired"),
        (T.SUCCEEDED, ""),
    ]
    request.compensation.refresh_from_db()
    assert request.compensation.status == Compensation.Status.ISSUED


def test_a_refund_above_the_limit_waits_for_its_approval(line, policy, settings):
    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("20")
    request = refunded(line)

    assert not request.refund_transactions.exists()
    with pytest.raises(NoRefundToStart) as refused:
        refund_start(return_request=request, actor=agent(username="ana"))
    assert "supervisor" in refused.value.message

    compensation_approve(compensation=request.compensation, actor=supervisor(username="sue"))
    refund = refund_start(return_request=request, actor=agent(username="ana"))
    assert refund.status == T.PENDING


def test_shopify_refunds_through_calculate_then_create(line, policy, monkeypatch):
    line.external_id = "703073504"
    line.save()
    order = line.order
    order.external_id = "450789469"
    order.save()
    shopify = FakeShopify()
    queued = []
    monkeypatch.setattr(refunds.queue, "enqueue_on_commit", lambda *args: queued.append(args))
    request = inspected(received(line))
    monkeypatch.setattr(refunds, "payment_adapter", lambda name=None: ShopifyRefundAdapter(shopify))

    return_request_resolve(return_request=request, resolution="refund", actor=agent(username="ana"))

    refund = RefundTransaction.objects.get(request=request)
    assert (refund.adapter, refund.status) == ("shopify", T.PENDING)
    # paid by a worker
    assert [args for args in queued if args[0] == refunds.REFUND_EXECUTE] == [
        (refunds.REFUND_EXECUTE, refund.pk)
    ]

    done = refund_execute(refund_id=refund.pk)

    assert (done.status, done.reference) == (T.SUCCEEDED, "509562969")
    calculate, create = shopify.calls
    assert calculate[1] == "/orders/450789469/refunds/calculate.json"
    assert create[1] == "/orders/450789469/refunds.json"
    body = create[2]["refund"]
    assert body["refund_line_items"] == [
        {"line_item_id": 703073504, "quantity": 1, "restock_type": "no_restock"}
    ]
    assert body["transactions"] == [
        {"parent_id": 801038806, "amount": "50.00", "kind": "refund", "gateway": "bogus"}
    ]
    assert body["currency"] == "EUR" and body["notify"] is False
    # A task delivered twice pays once.
    assert refund_execute(refund_id=refund.pk).status == T.SUCCEEDED
    assert len(shopify.calls) == 2


@pytest.mark.parametrize(
    ("status", "answer", "reason"),
    [
        (422, {"errors": {"base": ["Refund amount exceeds the order"]}}, "base: Refund amount"),
        (
            201,
            {"refund": {"id": 1, "transactions": [{"status": "failure", "message": "Declined"}]}},
            "Declined",
        ),
    ],
)
def test_shopify_refusing_fails_the_refund_for_a_retry(line, policy, status, answer, reason):
    line.order.external_id = "450789469"
    line.order.save()
    request = refunded(line)  # manual adapter: pending
    pending = request.refund_transactions.get()
    refund_fail(refund=pending, reason="switch to Shopify", actor=None)
    adapter = ShopifyRefundAdapter(FakeShopify(refund=answer, status=status))
    retry = refund_start(return_request=request, actor=None, adapter=adapter)

    failed = refund_execute(refund_id=retry.pk, adapter=adapter)

    assert failed.status == T.FAILED and reason in failed.error
    request.compensation.refresh_from_db()
    assert request.compensation.status == Compensation.Status.FAILED


def test_shopify_never_refunds_more_than_the_payment_allows():
    spec = RefundSpec("1", "JPY", Decimal("6993"), (("9", 1),), "RMA-X")
    suggested = [{"parent_id": 5, "gateway": "bogus", "maximum_refundable": "6993"}]
    assert refund_body(spec, suggested)["refund"]["transactions"][0]["amount"] == "6993"
    with pytest.raises(RefundFailed, match="at most 5000 JPY"):
        refund_body(spec, [{"parent_id": 5, "gateway": "bogus", "maximum_refundable": "5000"}])
    with pytest.raises(RefundFailed, match="Shopify order id"):
        ShopifyRefundAdapter(FakeShopify()).refund(RefundSpec("", "EUR", Decimal(1), (), "RMA-X"))


def test_the_policy_releases_the_refund_on_approval(line, policy):
    policy.refund_release = ReturnPolicy.RefundRelease.APPROVAL
    policy.save()

    request = submit(line, sender_address=ADDRESS)  # approved by the policy at once

    assert request.compensation is not None
    assert request.refund_transactions.get().status == T.PENDING
    assert request.case.events.filter(verb=Verb.REFUND_RELEASED).exists()
    # After inspection the outcome is that refund, not a second one.
    request = inspected(return_request_receive(return_request=request, actor=None))
    with pytest.raises(ValidationError):
        return_request_resolve(return_request=request, resolution="store_credit", actor=None)
    return_request_resolve(return_request=request, resolution="refund", actor=None)
    assert Compensation.objects.filter(case=request.case).count() == 1


def test_the_policy_releases_the_refund_when_the_parcel_arrives(line, policy):
    policy.refund_release = ReturnPolicy.RefundRelease.DELIVERED
    policy.save()
    request = submit(line, sender_address=ADDRESS)
    assert request.compensation is None

    request = return_request_receive(return_request=request, actor=None)

    assert request.compensation.kind == "refund"
    assert request.refund_transactions.get().status == T.PENDING


def test_no_release_for_a_customer_who_asked_for_a_replacement(line, policy):
    policy.refund_release = ReturnPolicy.RefundRelease.APPROVAL
    policy.save()
    request = submit(line, sender_address=ADDRESS, outcome="replacement")
    assert request.compensation is None and not request.refund_transactions.exists()


@pytest.mark.parametrize(
    ("kind", "reason", "country", "legal_due"),
    [
        # an EU customer withdrawing: 14 days from the day they told the shop (5 March)
        ("return", "changed_mind", "DE", date(2027, 3, 19)),
        ("return", "doesnt_fit", "FR", date(2027, 3, 19)),
        # a defect claim is the guarantee, not a withdrawal
        ("defect", "stopped_working", "DE", None),
        # outside the EU the shop's promise is the only clock
        ("return", "changed_mind", "US", None),
    ],
)
def test_the_refund_clocks(today, kind, reason, country, legal_due, settings):
    settings.RETURN_REFUND_SLA_HOURS = 48
    ReturnPolicyFactory(photos_required_for_defect=False)
    line = order_line(placed=date(2027, 2, 25), delivered=date(2027, 3, 1), country=country)
    request = submit(line, kind=kind, reason=reason, sender_address=ADDRESS)
    assert refund_clocks(request).sla_due is None  # nothing received yet

    request = return_request_receive(return_request=request, actor=None)
    clocks = refund_clocks(request)

    assert clocks.legal_due == legal_due
    assert clocks.sla_due == request.received_at + timedelta(hours=48)
    assert not clocks.sla_late(clocks.sla_due)
    assert clocks.sla_late(clocks.sla_due + timedelta(minutes=1))
    if legal_due:
        evening = timezone.make_aware(datetime.combine(legal_due, datetime.max.time()))
        assert not clocks.legal_late(evening)
        assert clocks.legal_late(noon(legal_due + timedelta(days=1)))


def test_the_sweeper_queues_automatic_refunds_left_pending(line, policy, monkeypatch, time_machine):
    request = refunded(line)
    manual = request.refund_transactions.get()
    refund_fail(refund=manual, reason="x", actor=None)
    stuck = RefundTransaction.objects.create(
        request=request,
        compensation=request.compensation,
        adapter="shopify",
        amount=Decimal(50),
        currency="EUR",
    )
    queued = []
    monkeypatch.setattr(refunds.queue, "enqueue", lambda *args: queued.append(args))
    assert refunds_sweep() == 0  # just started: its own task is on the way

    time_machine.shift(timedelta(minutes=11))

    assert refunds_sweep() == 1
    assert [args for args in queued if args[0] == refunds.REFUND_EXECUTE] == [
        (refunds.REFUND_EXECUTE, stuck.pk)
    ]


def test_the_agent_confirms_the_refund_on_the_panel(client, line, policy):
    request = refunded(line)
    refund = request.refund_transactions.get()
    client.force_login(agent(username="ana"))
    workspace = f"/agent/cases/{request.case.number}/"

    page = client.get(workspace).content.decode()
    assert "The refund was made" in page and "refunded by" in page

    empty = client.post(reverse("returns:agent-refund-confirm", args=[refund.pk]), {})
    assert empty.status_code == 400
    done = client.post(
        reverse("returns:agent-refund-confirm", args=[refund.pk]), {"reference": "R-1"}
    )
    assert done.status_code == 303
    assert RefundTransaction.objects.get(pk=refund.pk).status == T.SUCCEEDED
    again = client.post(reverse("returns:agent-refund-fail", args=[refund.pk]), {"reason": "x"})
    assert again.status_code == 409
    assert "Refunded" in client.get(workspace).content.decode()


def test_the_agent_retries_a_failed_refund(client, line, policy):
    request = refunded(line)
    client.force_login(agent(username="ana"))
    refund = request.refund_transactions.get()
    client.post(reverse("returns:agent-refund-fail", args=[refund.pk]), {"reason": "Declined"})
    page = client.get(f"/agent/cases/{request.case.number}/").content
    assert "Try the refund again" in page.decode() and "Declined" in page.decode()

    answer = client.post(reverse("returns:agent-return-refund", args=[request.pk]))

    assert answer.status_code == 303
    assert request.refund_transactions.filter(status=T.PENDING).count() == 1


def test_the_refund_tasks_are_registered(settings):
    from aftersales.celery import app

    app.loader.import_default_modules()
    beat = settings.CELERY_BEAT_SCHEDULE["return-refunds-sweep"]["task"]
    assert {refunds.REFUND_EXECUTE, beat} <= set(app.tasks)


def test_rejecting_calls_off_a_released_refund_not_yet_paid(line, policy):
    policy.refund_release = ReturnPolicy.RefundRelease.APPROVAL
    policy.save()
    request = submit(line, sender_address=ADDRESS)
    request = inspected(return_request_receive(return_request=request, actor=None), defect=False)

    return_request_reject(return_request=request, actor=agent(username="ana"), reason="Worn.")

    refund = request.refund_transactions.get()
    assert (refund.status, refund.error) == (T.FAILED, "Called off: the return was rejected.")
    request.compensation.refresh_from_db()
    assert (request.compensation.status, request.compensation.reason) == ("cancelled", "Worn.")


def test_rejecting_keeps_a_refund_already_paid(line, policy):
    policy.refund_release = ReturnPolicy.RefundRelease.APPROVAL
    policy.save()
    request = submit(line, sender_address=ADDRESS)
    refund_confirm(refund=request.refund_transactions.get(), reference="R-7", actor=None)
    request = inspected(return_request_receive(return_request=request, actor=None))

    return_request_reject(return_request=request, actor=None, reason="Worn.")

    request.compensation.refresh_from_db()
    assert request.compensation.status == Compensation.Status.ISSUED
    assert request.refund_transactions.get().status == T.SUCCEEDED
