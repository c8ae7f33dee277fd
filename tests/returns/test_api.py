"""/api/v1/returns/: create (400 naming the field, 409 naming the first RMA, nothing stored),
show by RMA number, list, approve and reject; the same services as the portal."""

from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from returns.models import ReturnRequest
from tests.returns.factories import noon
from tickets.models import Case, Notification
from tickets.services.api_keys import api_key_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def body(line, **changes):
    data = {
        "order_number": line.order.number,
        "kind": "return",
        "lines": [{"order_line": line.pk, "quantity": 1, "reason_code": "doesnt_fit"}],
        "preferred_outcome": "refund",
    }
    data.update(changes)
    return data


def test_create_and_show_by_rma(writer, line):
    response = writer.post(URL, body(line), format="json")

    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "approved" and created["auto_approved"] is True
    assert created["lines"][0]["order_line"] == line.pk
    assert created["eligibility"][0]["deadline"] == "2027-03-31"
    assert created["eligibility"][0]["right"] == "return_window"
    case = Case.objects.get(number=created["case_number"])
    assert case.channel == Case.Channel.API and case.kind == Case.Kind.RETURN

    shown = writer.get(f"{URL}{created['rma']}/")
    assert shown.status_code == 200 and shown.json()["rma"] == created["rma"]
    listed = writer.get(URL)
    assert [row["rma"] for row in listed.json()["results"]] == [created["rma"]]


ADDRESS = {
    "name": "Lena Weber",
    "line1": "Karl-Liebknecht-Str. 12",
    "postcode": "04107",
    "city": "Leipzig",
    "country": "DE",
}


def test_with_the_address_approval_issues_the_label(writer, line):
    response = writer.post(URL, body(line, address=ADDRESS), format="json")

    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "label_issued"
    assert created["label"]["tracking_number"] and created["label"]["pdf"].endswith("label.pdf")
    assert writer.get(f"{URL}{created['rma']}/").json()["label"] == created["label"]


def test_a_bad_address_is_a_400_naming_its_fields(writer, line):
    response = writer.post(
        URL, body(line, address={**ADDRESS, "country": "XX", "postcode": ""}), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"address.country", "address.postcode"}
    assert not Case.objects.exists()


def test_photos_by_attachment_id(writer, line, photo):
    response = writer.post(
        URL,
        body(
            line,
            kind="defect",
            lines=[{"order_line": line.pk, "quantity": 1, "reason_code": "dead_on_arrival"}],
            photos=[photo.pk],
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    (url,) = response.json()["photos"]
    assert url.rstrip("/").endswith(f"/{photo.pk}")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lines": []}, "lines"),
        ({"kind": "swap"}, "kind"),
        ({"preferred_outcome": "cash"}, "preferred_outcome"),
        ({"order_number": "NOPE"}, "order_number"),
        ({"lines": [{"order_line": 1, "quantity": "1", "reason_code": "doesnt_fit"}]}, None),
    ],
    ids=["no-lines", "bad-kind", "bad-outcome", "unknown-order", "string-quantity"],
)
def test_bad_input_is_a_400_naming_the_field(writer, line, changes, field):
    response = writer.post(URL, body(line, **changes), format="json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors if field else any(key.startswith("lines[0]") for key in errors)
    assert not ReturnRequest.objects.exists() and not Case.objects.exists()


def test_a_refused_line_is_a_400_with_the_date(writer, line, time_machine):
    time_machine.move_to(noon(date(2027, 4, 2)), tick=False)
    response = writer.post(URL, body(line), format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "claim_invalid"
    assert "2027" in response.json()["errors"]["lines[0].order_line"][0]
    assert not ReturnRequest.objects.exists() and not Case.objects.exists()


def test_a_missing_photo_and_too_many_units_are_named(writer, line):
    response = writer.post(
        URL,
        body(
            line,
            kind="defect",
            lines=[{"order_line": line.pk, "quantity": 5, "reason_code": "missing_parts"}],
        ),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"lines[0].quantity", "photos"}


def test_the_same_units_twice_is_a_409_naming_the_first(writer, line):
    first = writer.post(
        URL,
        body(line, lines=[{"order_line": line.pk, "quantity": 2, "reason_code": "doesnt_fit"}]),
        format="json",
    ).json()

    again = writer.post(URL, body(line), format="json")

    assert again.status_code == 409
    assert first["rma"] in again.json()["detail"]
    assert ReturnRequest.objects.count() == 1


def test_approve_and_reject_actions(writer, line, policy):
    policy.auto_approve_max_value = None
    policy.save()
    waiting = writer.post(URL, body(line), format="json").json()
    other = writer.post(URL, body(line), format="json").json()
    assert waiting["status"] == other["status"] == "requested"

    approved = writer.post(f"{URL}{waiting['rma']}/approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert writer.post(f"{URL}{waiting['rma']}/approve/").status_code == 409

    no_reason = writer.post(f"{URL}{other['rma']}/reject/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    rejected = writer.post(
        f"{URL}{other['rma']}/reject/", {"reason": "Worn, with a stain."}, format="json"
    )
    assert rejected.status_code == 200
    assert rejected.json()["rejection_reason"] == "Worn, with a stain."
    assert Notification.objects.filter(template="return_rejected").exists()


def test_an_unknown_rma_is_a_404(writer, db):
    assert writer.get(f"{URL}RMA-NONE-NONE/").status_code == 404


def test_a_read_key_cannot_create(db, line):
    client = APIClient()
    key = api_key_create(name="Reports", scope="read", actor=None)[1]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.post(URL, body(line), format="json").status_code == 403
    assert client.get(URL).status_code == 200
    assert not ReturnRequest.objects.exists()


def test_receive_inspect_and_resolve(writer, line):
    created = writer.post(URL, body(line, address=ADDRESS), format="json").json()
    url = f"{URL}{created['rma']}/"
    assert writer.post(f"{url}inspect/", {"lines": []}, format="json").status_code == 400

    received = writer.post(f"{url}receive/", format="json")
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert writer.post(f"{url}receive/", format="json").status_code == 409

    line_id = received.json()["lines"][0]["id"]
    bad = writer.post(
        f"{url}inspect/",
        {"lines": [{"line": line_id, "condition": "E", "disposition": "restock"}]},
        format="json",
    )
    assert bad.status_code == 400 and "lines[0].condition" in bad.json()["errors"]
    inspected = writer.post(
        f"{url}inspect/",
        {"lines": [{"line": line_id, "condition": "A", "disposition": "restock", "note": "ok"}]},
        format="json",
    )
    assert inspected.status_code == 200, inspected.json()
    assert inspected.json()["lines"][0]["condition"] == "A"

    too_much = writer.post(
        f"{url}resolve/", {"resolution": "refund", "amount": "999.00"}, format="json"
    )
    assert too_much.status_code == 400 and "amount" in too_much.json()["errors"]
    resolved = writer.post(
        f"{url}resolve/", {"resolution": "refund", "amount": "20.00"}, format="json"
    )
    assert resolved.status_code == 200, resolved.json()
    assert (resolved.json()["status"], resolved.json()["resolution"]) == ("resolved", "refund")
    case = Case.objects.get(number=created["case_number"])
    assert case.compensations.get().kind == "partial_refund"


def test_a_defect_claim_inspected_without_a_verdict_is_a_400_naming_the_line(writer, line, policy):
    policy.photos_required_for_defect = False
    policy.save()
    claim = [{"order_line": line.pk, "quantity": 1, "reason_code": "stopped_working"}]
    created = writer.post(
        URL, body(line, address=ADDRESS, kind="defect", lines=claim), format="json"
    ).json()
    url = f"{URL}{created['rma']}/"
    line_id = writer.post(f"{url}receive/", format="json").json()["lines"][0]["id"]
    found = {"line": line_id, "condition": "C", "disposition": "scrap"}

    refused = writer.post(f"{url}inspect/", {"lines": [found]}, format="json")

    assert refused.status_code == 400, refused.json()
    assert refused.json()["errors"] == {
        f"lines[{line_id}].defect_confirmed": ["Say whether the defect is confirmed."]
    }
    assert ReturnRequest.objects.get().status == "received"
    found["defect_confirmed"] = False
    assert writer.post(f"{url}inspect/", {"lines": [found]}, format="json").status_code == 200


def _inspected_over_api(writer, line, **changes):
    created = writer.post(URL, body(line, address=ADDRESS, **changes), format="json").json()
    url = f"{URL}{created['rma']}/"
    line_id = writer.post(f"{url}receive/", format="json").json()["lines"][0]["id"]
    found = {"line": line_id, "condition": "A", "disposition": "restock"}
    if changes.get("kind") == "defect":
        found["defect_confirmed"] = True
    response = writer.post(f"{url}inspect/", {"lines": [found]}, format="json")
    assert response.status_code == 200, response.json()
    return url


def test_the_refund_is_paid_confirmed_failed_and_retried_over_the_api(writer, line):
    url = _inspected_over_api(writer, line)
    assert (
        writer.post(f"{url}refund/confirm/", {"reference": "R"}, format="json").status_code == 409
    )

    resolved = writer.post(f"{url}resolve/", {"resolution": "refund"}, format="json").json()

    (pending,) = resolved["refunds"]
    assert (pending["status"], pending["adapter"], pending["amount"]) == (
        "pending",
        "manual",
        "50.00",
    )
    assert resolved["refund_clocks"]["legal_due"] == "2027-03-19"  # Germany: 14 days
    assert resolved["refund_clocks"]["sla_due"] is not None
    assert writer.post(f"{url}refund/", format="json").status_code == 409  # one at a time
    empty = writer.post(f"{url}refund/confirm/", {"reference": ""}, format="json")
    assert empty.status_code == 400 and "reference" in empty.json()["errors"]

    failed = writer.post(f"{url}refund/fail/", {"reason": "Card expired"}, format="json")
    assert failed.json()["refunds"][0]["error"] == "Card expired"
    retried = writer.post(f"{url}refund/", format="json")
    assert [r["status"] for r in retried.json()["refunds"]] == ["failed", "pending"]
    paid = writer.post(f"{url}refund/confirm/", {"reference": "SHOP-9"}, format="json").json()

    assert [r["status"] for r in paid["refunds"]] == ["failed", "succeeded"]
    assert paid["refunds"][1]["reference"] == "SHOP-9" and paid["refunded_at"]
    assert Notification.objects.filter(template="return_refunded", channel="email").exists()


def test_an_exchange_and_its_parcel_over_the_api(writer, line, policy):
    policy.photos_required_for_defect = False
    policy.save()
    claim = [{"order_line": line.pk, "quantity": 1, "reason_code": "stopped_working"}]
    url = _inspected_over_api(writer, line, kind="defect", lines=claim)
    no_sku = writer.post(f"{url}resolve/", {"resolution": "exchange"}, format="json")
    assert no_sku.status_code == 400 and "exchange_sku" in no_sku.json()["errors"]
    resolved = writer.post(
        f"{url}resolve/", {"resolution": "exchange", "exchange_sku": "KETTLE-RED"}, format="json"
    ).json()
    assert resolved["exchange_sku"] == "KETTLE-RED" and resolved["refund_clocks"] is not None

    sent = writer.post(f"{url}ship-back/", {"carrier": "dhl_express", "tracking_number": "77"})

    assert sent.status_code == 200, sent.json()
    again = writer.post(f"{url}ship-back/", {"carrier": "dhl_express", "tracking_number": "78"})
    assert again.status_code == 409
