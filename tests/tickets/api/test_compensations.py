"""A case's compensations over the API: list, propose, and one action per state change."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CaseFactory, ExchangeRateFactory, OrderFactory, supervisor
from tickets.models import Case, CaseEvent, Compensation
from tickets.services.api_keys import api_key_create
from tickets.services.compensations import compensation_propose

CS = Compensation.Status


def url(case, rest=""):
    return f"/api/v1/cases/{case.number}/compensations/{rest}"


def action(case, compensation, name):
    return url(case, f"{compensation.pk}/{name}/")


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.BASE_CURRENCY = "EUR"
    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("100.00")


@pytest.fixture
def boss(db) -> APIClient:
    """A write key acting as a supervisor, who may approve above the limit."""
    key = api_key_create(
        name="Finance", scope="write", actor=None, user=supervisor(username="sam")
    )[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def stored(case, status, amount="500.00"):
    """A compensation in `status`, the factory way (above the limit, so it starts proposed)."""
    compensation = compensation_propose(
        case=case, kind="refund", amount=Decimal(amount), actor=None
    )
    Compensation.objects.filter(pk=compensation.pk).update(status=status)
    compensation.refresh_from_db()
    return compensation


def jpy_case():
    ExchangeRateFactory(currency="JPY", rate=Decimal("0.0061234"))
    return CaseFactory(
        order=OrderFactory(currency="JPY", subtotal=3000, total=3000, shipping_total=0)
    )


# --- propose ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_proposal_within_the_limit_is_approved_at_once(writer, case):
    # when a write key proposes a 12.50 EUR refund
    response = writer.post(url(case), {"kind": "refund", "amount": "12.5"}, format="json")
    # then it is stored approved, as the key's user, with amounts in cents
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["kind"], body["needs_supervisor"]) == ("approved", "refund", False)
    assert (body["amount"], body["currency"]) == ("12.50", "EUR")
    assert (body["base_amount"], body["base_currency"]) == ("12.50", "EUR")
    assert body["proposed_by"]["username"] == body["approved_by"]["username"] == "api-shop-sync"
    assert Compensation.objects.get().status == CS.APPROVED


@pytest.mark.django_db
def test_a_proposal_above_the_limit_waits(writer, case):
    body = writer.post(url(case), {"kind": "refund", "amount": "250.00"}, format="json").json()
    assert (body["status"], body["needs_supervisor"], body["approved_by"]) == (
        "proposed",
        True,
        None,
    )


@pytest.mark.django_db
def test_yen_are_whole_and_dinars_have_three_decimals(writer):
    # given a JPY case and a KWD rate
    case = jpy_case()
    ExchangeRateFactory(currency="KWD", rate=Decimal("3.25"))
    # when 1500 yen (the order's currency) and 1.25 KWD are proposed
    yen = writer.post(url(case), {"kind": "refund", "amount": "1500"}, format="json").json()
    kwd = writer.post(
        url(case), {"kind": "store_credit", "amount": "1.25", "currency": "KWD"}, format="json"
    ).json()
    # then each amount has its currency's decimals, and the base amount the euro's
    assert (yen["amount"], yen["currency"], yen["base_amount"]) == ("1500", "JPY", "9.19")
    assert (kwd["amount"], kwd["currency"], kwd["base_amount"]) == ("1.250", "KWD", "4.06")
    # and the timeline says the same
    events = writer.get(f"/api/v1/cases/{case.number}/events/").json()["results"]
    assert [e["data"]["amount"] for e in events if e["verb"].startswith("compensation_")] == [
        "1500",
        "1500",
        "1.250",
        "1.250",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"amount": "10.00"}, "kind"),
        ({"kind": "refund"}, "amount"),
        ({"kind": "gift", "amount": "10.00"}, "kind"),
        ({"kind": "refund", "amount": 10}, "amount"),
        ({"kind": "refund", "amount": "-10.00"}, "amount"),
        ({"kind": "refund", "amount": "1e3"}, "amount"),
        ({"kind": "refund", "amount": "10.0001"}, "amount"),
        ({"kind": "refund", "amount": "10.001"}, "amount"),  # EUR has two decimals
        ({"kind": "refund", "amount": "10.00", "currency": "EUX"}, "currency"),
        ({"kind": "refund", "amount": "10.00", "note": 5}, "note"),
        ({"kind": "refund", "amount": "10.00", "note": "x" * 501}, "note"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(writer, case, payload, field):
    body = assert_error_shape(writer.post(url(case), payload, format="json"), 400, "invalid")
    assert list(body["errors"]) == [field]
    assert Compensation.objects.count() == 0


@pytest.mark.django_db
def test_a_yen_amount_with_decimals_is_refused(writer):
    body = assert_error_shape(
        writer.post(url(jpy_case()), {"kind": "refund", "amount": "1500.5"}, format="json"), 400
    )
    assert body["errors"] == {"amount": ["JPY amounts have 0 decimal places."]}


@pytest.mark.django_db
def test_a_closed_case_refuses_a_proposal(writer):
    case = CaseFactory(status=Case.Status.CLOSED)
    response = writer.post(url(case), {"kind": "refund", "amount": "10.00"}, format="json")
    body = assert_error_shape(response, 403, "case_closed")
    assert body["detail"] == f"Case {case.number} is closed."
    assert Compensation.objects.count() == 0


@pytest.mark.django_db
def test_a_currency_without_a_rate_is_a_409(writer, case):
    response = writer.post(
        url(case), {"kind": "refund", "amount": "10", "currency": "CHF"}, format="json"
    )
    assert_error_shape(response, 409, "missing_exchange_rate")


@pytest.mark.django_db
def test_a_read_key_may_list_but_not_propose(reader, case):
    assert reader.get(url(case)).status_code == 200
    response = reader.post(url(case), {"kind": "refund", "amount": "10.00"}, format="json")
    assert_error_shape(response, 403, "permission_denied")


@pytest.mark.django_db
def test_an_unknown_case_is_a_404(writer):
    assert_error_shape(writer.get("/api/v1/cases/AS-NOPE-NOPE/compensations/"), 404, "not_found")
    response = writer.post(
        "/api/v1/cases/AS-NOPE-NOPE/compensations/", {"kind": "refund", "amount": "1"}
    )
    assert_error_shape(response, 404, "not_found")


# --- read -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_is_oldest_first_and_costs_the_same_queries_at_any_length(
    writer, case, page_queries
):
    first = stored(case, CS.PROPOSED)
    stored(case, CS.APPROVED)
    one_row = page_queries(url(case) + "?page_size=1")
    for _ in range(5):
        stored(case, CS.ISSUED)
    body = writer.get(url(case)).json()
    assert body["count"] == 7
    assert body["results"][0]["id"] == first.pk
    assert page_queries(url(case)) == one_row


@pytest.mark.django_db
def test_a_compensation_reads_by_id_under_its_own_case_only(writer, case):
    compensation = stored(case, CS.PROPOSED)
    body = writer.get(url(case, f"{compensation.pk}/")).json()
    assert (body["id"], body["amount"], body["exchange_rate"]) == (
        compensation.pk,
        "500.00",
        "1.00000000",
    )
    other = CaseFactory()
    assert_error_shape(writer.get(url(other, f"{compensation.pk}/")), 404, "not_found")
    assert_error_shape(writer.get(url(case, "abc/")), 404, "not_found")


# --- the state changes ------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_a_supervisor_approves_above_the_limit(writer, boss, case):
    # given a proposal above the limit
    compensation = stored(case, CS.PROPOSED)
    # when an agent's key approves it, then it is refused with a reason
    body = assert_error_shape(
        writer.post(action(case, compensation, "approve"), {}, format="json"), 403, "not_allowed"
    )
    assert body["detail"] == "Only a supervisor can approve compensation above the limit."
    # when a supervisor's key approves it, then it is approved as the supervisor
    response = boss.post(action(case, compensation, "approve"), format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["approved_by"]["username"]) == (
        "approved",
        "sam",
    )
    # and approving again conflicts with its status
    response = boss.post(action(case, compensation, "approve"), {}, format="json")
    body = assert_error_shape(response, 409, "invalid_transition")
    assert body["detail"] == "A compensation that is “Approved” cannot become “Approved”."


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_and_is_final(writer, case):
    compensation = stored(case, CS.PROPOSED)
    assert_error_shape(
        writer.post(action(case, compensation, "reject"), {}, format="json"), 400, "invalid"
    )
    assert_error_shape(
        writer.post(action(case, compensation, "reject"), {"reason": " "}, format="json"), 400
    )
    response = writer.post(
        action(case, compensation, "reject"), {"reason": "Out of warranty"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == ("rejected", "Out of warranty")
    event = CaseEvent.objects.filter(verb="compensation_rejected").get()
    assert (event.actor.username, event.data["reason"]) == ("api-shop-sync", "Out of warranty")
    response = writer.post(action(case, compensation, "issue"), {}, format="json")
    assert_error_shape(response, 409, "invalid_transition")


@pytest.mark.django_db
def test_issuing_keeps_the_external_reference(writer, case):
    compensation = stored(case, CS.APPROVED)
    response = writer.post(
        action(case, compensation, "issue"), {"external_reference": "re_42"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["external_reference"]) == ("issued", "re_42")
    assert body["issued_at"] is not None
    assert CaseEvent.objects.get(verb="compensation_issued").data["external_reference"] == "re_42"


@pytest.mark.django_db
def test_a_proposal_cannot_be_issued_failed_or_cancelled(writer, case):
    compensation = stored(case, CS.PROPOSED)
    for name, payload in [
        ("issue", {}),
        ("fail", {"reason": "declined"}),
        ("cancel", {"reason": "duplicate"}),
    ]:
        response = writer.post(action(case, compensation, name), payload, format="json")
        assert_error_shape(response, 409, "invalid_transition")
    compensation.refresh_from_db()
    assert compensation.status == CS.PROPOSED


@pytest.mark.django_db
def test_a_failure_keeps_its_reason_and_can_be_issued_later(writer, case):
    compensation = stored(case, CS.APPROVED)
    assert_error_shape(
        writer.post(action(case, compensation, "fail"), {}, format="json"), 400, "invalid"
    )
    response = writer.post(
        action(case, compensation, "fail"), {"reason": "Card declined"}, format="json"
    )
    assert (response.json()["status"], response.json()["failure_reason"]) == (
        "failed",
        "Card declined",
    )
    response = writer.post(action(case, compensation, "issue"), format="json")
    assert response.json()["status"] == "issued"


@pytest.mark.django_db
def test_an_approved_compensation_can_be_cancelled_with_a_reason(writer, case):
    compensation = stored(case, CS.APPROVED)
    assert_error_shape(
        writer.post(action(case, compensation, "cancel"), {"reason": 3}, format="json"), 400
    )
    response = writer.post(
        action(case, compensation, "cancel"), {"reason": "Customer kept it"}, format="json"
    )
    assert (response.json()["status"], response.json()["reason"]) == (
        "cancelled",
        "Customer kept it",
    )
    response = writer.post(action(case, compensation, "issue"), {}, format="json")
    assert_error_shape(response, 409, "invalid_transition")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["approve", "reject", "issue", "fail", "cancel"])
def test_every_action_on_an_unknown_compensation_is_a_404(writer, case, name):
    response = writer.post(url(case, f"999999/{name}/"), {"reason": "x"}, format="json")
    assert_error_shape(response, 404, "not_found")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["approve", "reject", "issue", "fail", "cancel"])
def test_every_action_refuses_a_body_that_is_not_an_object(writer, case, name):
    compensation = stored(case, CS.PROPOSED)
    response = writer.post(action(case, compensation, name), [1], format="json")
    assert_error_shape(response, 400, "invalid")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["approve", "reject", "issue", "fail", "cancel"])
def test_a_read_key_may_not_move_a_compensation(reader, case, name):
    compensation = stored(case, CS.PROPOSED)
    response = reader.post(action(case, compensation, name), {"reason": "x"}, format="json")
    assert_error_shape(response, 403, "permission_denied")
