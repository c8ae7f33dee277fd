"""The prepaid label on approval: issued with the RMA as reference for as long as the policy
says and emailed with the steps; when the provider refuses, the approval stands and an agent
issues it later."""

from datetime import timedelta

import pytest
from django.utils import timezone

from returns.errors import InvalidReturnTransition
from returns.models import ReturnRequest
from returns.services.claims import return_label_issue, return_request_approve
from returns.verbs import Verb
from shipments.labels.adapters import LabelProviderError
from shipments.labels.addresses import AddressInvalid
from shipments.labels.models import Label
from tests.returns.test_claims import counts, nothing_created, submit
from tests.tickets.factories import agent
from tickets.models import Notification

pytestmark = pytest.mark.django_db

S = ReturnRequest.Status
ADDRESS = {
    "name": "Lena Weber",
    "line1": "Karl-Liebknecht-Str. 12",
    "postcode": "04107",
    "city": "Leipzig",
    "country": "de",
}


def test_an_approved_return_gets_its_label_by_email_at_once(line, policy):
    request = submit(line, sender_address=ADDRESS)

    assert request.status == S.LABEL_ISSUED
    label = Label.objects.select_related("shipment").get()
    assert label.reference == request.rma
    assert label.shipment.direction == "return" and label.shipment.case_id == request.case_id
    assert label.from_address["country"] == "DE"
    assert label.valid_until == timezone.localdate() + timedelta(days=policy.label_valid_days)
    # one email: the label with its steps says it is approved; no second "approved" email
    templates = set(Notification.objects.filter(channel="email").values_list("template", flat=True))
    assert "return_label" in templates and "return_approved" not in templates


def test_an_agents_approval_issues_the_label_too(line, policy):
    policy.auto_approve_max_value = None
    policy.save()
    request = submit(line, sender_address=ADDRESS)
    assert request.status == S.REQUESTED and not Label.objects.exists()

    approved = return_request_approve(return_request=request, actor=agent(username="ana"))

    assert approved.status == S.LABEL_ISSUED
    assert Label.objects.get().reference == request.rma


def test_a_refused_label_leaves_the_approval_and_an_agent_issues_it_later(
    line, policy, monkeypatch
):
    def refuse(*args, **kwargs):
        raise LabelProviderError("The carrier is down.")

    monkeypatch.setattr("shipments.labels.adapters.SelfIssuedAdapter.issue", refuse)
    request = submit(line, sender_address=ADDRESS)

    assert request.status == S.APPROVED and not Label.objects.exists()
    failed = request.case.events.get(verb=Verb.LABEL_FAILED)
    assert "The carrier is down." in failed.data["reason"]
    assert Notification.objects.filter(template="return_approved", channel="email").exists()

    monkeypatch.undo()
    label = return_label_issue(return_request=request, actor=agent(username="ana"))
    request.refresh_from_db()
    assert request.status == S.LABEL_ISSUED and label.reference == request.rma
    assert Notification.objects.filter(template="return_label", channel="email").exists()
    with pytest.raises(InvalidReturnTransition):
        return_label_issue(return_request=request, actor=None)


def test_without_an_address_the_agent_gives_one(line, policy):
    request = submit(line)
    assert request.status == S.APPROVED
    with pytest.raises(AddressInvalid):
        return_label_issue(return_request=request, actor=None)
    label = return_label_issue(return_request=request, actor=None, sender_address=ADDRESS)
    assert label.shipment.case_id == request.case_id
    request.refresh_from_db()
    assert request.sender_address["city"] == "Leipzig"


def test_a_claim_with_a_bad_address_creates_nothing(line):
    before = counts()
    with pytest.raises(AddressInvalid) as refused:
        submit(line, sender_address={**ADDRESS, "postcode": "", "country": "XX"})
    assert set(refused.value.errors) == {"customer.postcode", "customer.country"}
    assert nothing_created(before)
