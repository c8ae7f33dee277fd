"""Inspection and the outcome: per-line findings, then a refund (restocking fee off a
change-of-mind return, never a defect; partial; exact in a zero-decimal currency), store credit,
an exchange, a replacement or a repair as a compensation, or a rejection; the customer told."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from returns.errors import InvalidReturnTransition
from returns.models import ReturnRequest
from returns.services.claims import return_request_reject
from returns.services.inspection import (
    LineInspection,
    return_request_inspect,
    return_request_resolve,
)
from returns.services.money import refund_due
from returns.services.receipts import return_request_receive
from returns.verbs import Verb
from tests.returns.factories import ReturnPolicyFactory, order_line
from tests.returns.test_claims import submit
from tests.returns.test_labels import ADDRESS
from tests.tickets.evidence.files import png
from tests.tickets.factories import agent
from tickets.models import Attachment, Case, ExchangeRate, Message, Notification

pytestmark = pytest.mark.django_db

S = ReturnRequest.Status


def received(line, **kwargs):
    request = submit(line, sender_address=ADDRESS, **kwargs)
    if request.status == S.REQUESTED:  # a policy that approves nothing by itself
        from returns.services.claims import return_request_approve

        request = return_request_approve(return_request=request, actor=None)
    return return_request_receive(return_request=request, actor=None)


def inspected(request, grade="A", defect=None):
    return return_request_inspect(
        return_request=request,
        lines=[
            LineInspection(line.pk, grade, defect, "restock", "Sealed")
            for line in request.lines.all()
        ],
        actor=agent(username="ines"),
    )


def test_a_defect_claim_is_inspected_only_with_a_verdict_on_the_defect(line, policy):
    policy.photos_required_for_defect = False
    policy.save()
    request = received(line, kind="defect", reason="stopped_working")
    (pk,) = request.lines.values_list("pk", flat=True)

    with pytest.raises(ValidationError) as refused:
        inspected(request, grade="C", defect=None)

    assert refused.value.message_dict == {
        f"lines[{pk}].defect_confirmed": ["Say whether the defect is confirmed."]
    }
    request.refresh_from_db()
    assert request.status == S.RECEIVED and request.lines.get().condition == ""
    done = inspected(request, grade="C", defect=False)
    assert done.lines.get().defect_confirmed is False


@pytest.mark.parametrize(
    ("kind", "reason", "currency", "price", "quantity", "fee_percent", "due", "fee"),
    [
        # a change of mind pays the policy's restocking fee
        ("return", "changed_mind", "EUR", "50.00", 2, "10", "90.00", "10.00"),
        # a defect never does
        ("defect", "stopped_working", "EUR", "50.00", 2, "10", "100.00", "0"),
        # without a fee the whole price comes back
        ("return", "doesnt_fit", "EUR", "49.99", 1, "0", "49.99", "0"),
        # a zero-decimal currency stays whole: 15 % of ¥8,227 is ¥1,234.05, kept as ¥1,234
        ("return", "changed_mind", "JPY", "8227", 1, "15", "6993", "1234"),
    ],
)
def test_what_is_refunded(today, kind, reason, currency, price, quantity, fee_percent, due, fee):
    ReturnPolicyFactory(
        window_days=30,
        restocking_fee_percent=Decimal(fee_percent),
        photos_required_for_defect=False,
    )
    line = order_line(
        placed=date(2027, 2, 25),
        delivered=date(2027, 3, 1),
        quantity=quantity,
        unit_price=price,
        currency=currency,
    )
    request = submit(line, kind=kind, reason=reason, quantity=quantity)
    assert refund_due(request) == (Decimal(due), Decimal(fee))


def test_the_inspection_records_every_line(line, policy):
    request = received(line)
    with pytest.raises(ValidationError) as refused:
        return_request_inspect(
            return_request=request,
            lines=[LineInspection(request.lines.get().pk, "E", None, "bin")],
            actor=None,
        )
    assert set(refused.value.message_dict) == {
        f"lines[{request.lines.get().pk}].condition",
        f"lines[{request.lines.get().pk}].disposition",
    }
    with pytest.raises(ValidationError):
        return_request_inspect(return_request=request, lines=[], actor=None)
    request.refresh_from_db()
    assert request.status == S.RECEIVED

    # A change of mind has no defect to confirm: a verdict given anyway is not kept.
    done = inspected(request, grade="B", defect=False)

    assert done.status == S.INSPECTED and done.inspected_by.username == "ines"
    row = done.lines.get()
    assert (row.condition, row.defect_confirmed, row.disposition, row.inspection_note) == (
        "B",
        None,
        "restock",
        "Sealed",
    )
    assert done.case.events.filter(verb=Verb.INSPECTED).exists()
    with pytest.raises(InvalidReturnTransition):
        inspected(done)


def test_a_refund_is_a_compensation_and_the_customer_is_told(line, policy):
    request = inspected(received(line))
    compensation = return_request_resolve(
        return_request=request, resolution="refund", actor=agent(username="ana")
    )
    assert (compensation.kind, compensation.amount, compensation.currency) == (
        "refund",
        Decimal("50.000"),
        "EUR",
    )
    request.refresh_from_db()
    assert (request.status, request.resolution) == (S.RESOLVED, "refund")
    assert Case.objects.get(pk=request.case_id).status == Case.Status.RESOLVED
    email = Notification.objects.get(template="return_resolved", channel="email")
    assert request.rma in email.subject and "50,00" in email.body  # German customer


def test_a_partial_refund_in_yen_is_exact_everywhere(today):
    ExchangeRate.objects.create(currency="JPY", rate=Decimal("0.0062"))
    ReturnPolicyFactory(window_days=30)
    line = order_line(
        placed=date(2027, 2, 25),
        delivered=date(2027, 3, 1),
        unit_price="5000",
        currency="JPY",
        customer__language="en",
    )
    request = inspected(received(line))
    with pytest.raises(ValidationError):
        return_request_resolve(
            return_request=request, resolution="refund", actor=None, amount=Decimal("5001")
        )

    compensation = return_request_resolve(
        return_request=request, resolution="refund", actor=None, amount=Decimal("1234")
    )

    assert (compensation.kind, compensation.amount) == ("partial_refund", Decimal("1234"))
    email = Notification.objects.get(template="return_resolved", channel="email")
    assert "¥1,234" in email.body and "¥1,234.00" not in email.body


@pytest.mark.parametrize(
    ("resolution", "kind"),
    [
        ("store_credit", "store_credit"),
        ("exchange", "replacement"),
        ("replacement", "replacement"),
        ("repair", "repair"),
    ],
)
def test_each_outcome_records_its_compensation(line, policy, photo, resolution, kind):
    request = inspected(
        received(line, kind="defect", reason="stopped_working", photos=[photo]), defect=True
    )
    compensation = return_request_resolve(
        return_request=request, resolution=resolution, actor=None, exchange_sku="KETTLE-RED"
    )
    assert compensation.kind == kind and compensation.amount == Decimal("50.000")


def test_an_inspected_claim_can_be_rejected_with_a_reason(line, policy):
    request = inspected(received(line), defect=False)
    rejected = return_request_reject(
        return_request=request, actor=None, reason="The kettle works: no defect found."
    )
    assert rejected.status == S.REJECTED
    assert Case.objects.get(pk=request.case_id).status == Case.Status.RESOLVED


def test_only_an_inspected_request_is_resolved(line, policy):
    request = received(line)
    with pytest.raises(InvalidReturnTransition):
        return_request_resolve(return_request=request, resolution="refund", actor=None)
    request = inspected(request)
    with pytest.raises(ValidationError):
        return_request_resolve(return_request=request, resolution="gift", actor=None)


def inspect_in_panel(client, request, pk, *, condition, disposition, defect=""):
    """The return panel's inspection form sent for the one line `pk` of `request`."""
    return client.post(
        f"/agent/returns/{request.pk}/inspect/",
        {f"condition_{pk}": condition, f"defect_{pk}": defect, f"disposition_{pk}": disposition},
    )


def test_the_panel_walks_inspection_and_outcome(line, policy, client, agent_user):
    request = received(line)
    client.force_login(agent_user)
    page = client.get(f"/agent/cases/{request.case.number}/").content.decode()
    pk = request.lines.get().pk
    assert f'name="condition_{pk}"' in page
    # the item's right, with its last day in the agent's date format
    assert "Return window" in page and "until 03/31/2027" in page
    response = inspect_in_panel(client, request, pk, condition="A", disposition="restock")
    assert response.status_code == 303
    page = client.get(f"/agent/cases/{request.case.number}/").content.decode()
    assert "Refund due:" in page
    assert (
        client.post(
            f"/agent/returns/{request.pk}/resolve/", {"resolution": "refund", "amount": "x"}
        ).status_code
        == 400
    )
    response = client.post(f"/agent/returns/{request.pk}/resolve/", {"resolution": "refund"})
    assert response.status_code == 303
    request.refresh_from_db()
    assert request.status == S.RESOLVED


def test_the_panel_asks_for_a_defect_verdict_on_a_defect_claim_only(
    line, policy, client, agent_user
):
    policy.photos_required_for_defect = False
    policy.save()
    plain = received(line)
    claim = received(line, kind="defect", reason="stopped_working")
    client.force_login(agent_user)

    plain_page = client.get(f"/agent/cases/{plain.case.number}/").content.decode()
    claim_page = client.get(f"/agent/cases/{claim.case.number}/").content.decode()

    assert "Defect confirmed?" not in plain_page
    pk = claim.lines.get().pk
    assert f'name="defect_{pk}" required' in claim_page
    refused = inspect_in_panel(client, claim, pk, condition="C", disposition="scrap")
    assert refused.status_code == 400
    assert "Say whether the defect is confirmed." in refused.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.RECEIVED


def test_inspection_photos_are_kept_on_their_line_for_agents_only(
    line, policy, client, agent_user, media_root
):
    request = received(line)
    pk = request.lines.get().pk
    client.force_login(agent_user)
    form = {f"condition_{pk}": "C", f"defect_{pk}": "yes", f"disposition_{pk}": "scrap"}

    # A file that is not a photo is refused with its name, and nothing is recorded
    refused = client.post(
        f"/agent/returns/{request.pk}/inspect/",
        {**form, f"photos_{pk}": SimpleUploadedFile("crack.jpg", b"not a picture")},
    )
    assert refused.status_code == 400 and "crack.jpg" in refused.content.decode()
    request.refresh_from_db()
    assert request.status == S.RECEIVED and not Attachment.objects.exists()

    done = client.post(
        f"/agent/returns/{request.pk}/inspect/",
        {**form, f"photos_{pk}": [SimpleUploadedFile("crack.png", png()) for _ in range(2)]},
    )

    assert done.status_code == 303
    photos = request.lines.get().inspection_photos.all()
    assert len(photos) == 2
    assert {photo.message.visibility for photo in photos} == {Message.Visibility.INTERNAL}
    page = client.get(f"/agent/cases/{request.case.number}/").content.decode()
    assert f"/agent/attachments/{photos[0].pk}/" in page or photos[0].filename in page
