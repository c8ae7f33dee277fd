"""POST /api/v1/cases/{number}/portal-link/: an agent has the worker email a sign-in link."""

import json

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.tickets.factories import CaseFactory, CustomerFactory, UserFactory, agent
from tests.tickets.portal_access.conftest import token_in
from tickets.models import PortalAccessEvent, PortalLink
from tickets.services import queue
from tickets.services.api_keys import api_key_create

pytestmark = pytest.mark.django_db
Kind = PortalAccessEvent.Kind


def _url(case) -> str:
    return f"/api/v1/cases/{case.number}/portal-link/"


@pytest.fixture
def alice(db):
    return agent(username="alice")


@pytest.fixture
def as_alice(alice):
    client = APIClient()
    client.force_authenticate(user=alice)
    return client


def test_an_agent_has_a_link_sent_and_gets_a_202(
    as_alice, alice, maria_case, django_capture_on_commit_callbacks
):
    # when the agent asks for a link for Maria's case
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_alice.post(_url(maria_case), {}, format="json")
    # then the answer is 202 with a short JSON
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
    assert response.json()["email"] == "Maria@Example.com"
    # and the task was queued by name, with JSON-safe arguments
    [callback] = callbacks
    task, *args = callback.args
    assert task == queue.PORTAL_LINK_SEND
    assert json.loads(json.dumps(args)) == args
    # and the (eager) worker sent Maria a link leading to the case, audited with the agent
    assert token_in(mail.outbox[-1])
    assert PortalLink.objects.get().next_path == f"/portal/cases/{maria_case.number}/"
    assert PortalAccessEvent.objects.filter(actor=alice, kind=Kind.LINK_REQUESTED).exists()
    assert PortalAccessEvent.objects.filter(actor=alice, kind=Kind.LINK_SENT).exists()


def test_a_customer_without_email_is_a_400_with_a_clear_message(as_alice):
    case = CaseFactory(customer=CustomerFactory(email=""))
    response = as_alice.post(_url(case), {}, format="json")
    assert response.status_code == 400
    assert "has no email address" in json.dumps(response.json())
    assert not PortalAccessEvent.objects.exists()


def test_without_the_right_to_change_cases_it_is_refused(maria_case):
    # a signed-in user in no group, a read-only key, and no credentials at all
    nobody = APIClient()
    nobody.force_authenticate(user=UserFactory(username="nobody"))
    reader = APIClient()
    reader.credentials(
        HTTP_AUTHORIZATION=f"Bearer {api_key_create(name='R', scope='read', actor=None)[1]}"
    )
    assert nobody.post(_url(maria_case), {}, format="json").status_code in (403, 404)
    assert reader.post(_url(maria_case), {}, format="json").status_code == 403
    assert APIClient().post(_url(maria_case), {}, format="json").status_code == 401
    assert not PortalAccessEvent.objects.exists() and mail.outbox == []


def test_an_unknown_case_is_a_404(as_alice):
    response = as_alice.post("/api/v1/cases/AS-NOPE-NOPE/portal-link/", {}, format="json")
    assert response.status_code == 404


def test_get_is_not_allowed(as_alice, maria_case):
    assert as_alice.get(_url(maria_case)).status_code == 405
