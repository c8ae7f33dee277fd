"""The writes behind the magic link: issuing, voiding, using, and the agent's request."""

import base64
import hashlib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory, agent
from tests.tickets.portal_access.conftest import issue, token_in
from tickets.models import PortalAccessEvent, PortalLink
from tickets.services.portal_access import (
    CustomerWithoutEmail,
    PortalLinkExpired,
    PortalLinkUnknown,
    PortalLinkUsed,
    PortalLinkVoided,
    portal_link_request,
    portal_link_send_by_agent,
    portal_link_use,
)

pytestmark = pytest.mark.django_db
Kind = PortalAccessEvent.Kind


def test_a_link_has_at_least_128_random_bits_and_only_its_hash_is_stored(maria_order):
    # when a link is issued
    token = issue()
    # then the token carries 256 bits (43 characters of URL-safe base64)
    assert len(base64.urlsafe_b64decode(token + "=")) * 8 >= 128
    # and the database holds its SHA-256, never the token itself
    link = PortalLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not PortalLink.objects.filter(token_hash=token).exists()
    assert link.customer == maria_order.customer and link.order == maria_order
    assert link.expires_at == link.created_at + timedelta(minutes=10)


def test_the_email_is_in_the_customers_language_and_from_the_shop(maria_order, settings):
    # when a link is issued to a Spanish-speaking customer
    token = issue()
    # then the email goes to her, in Spanish, with the link in both parts
    message = mail.outbox[-1]
    assert message.to == ["Maria@Example.com"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "Hola, María López:" in message.body
    html = message.alternatives[0][0]
    assert f"/portal/link/{token}/" in html
    assert '<html lang="es">' in html


def test_the_order_number_and_email_must_match_else_nothing_is_sent(maria_order):
    # when someone asks with a wrong email, or an order that does not exist
    assert portal_link_request(order_ref="1001", email="eve@example.com", ip="203.0.113.9") is None
    assert portal_link_request(order_ref="9999", email="maria@example.com") is None
    # then nothing is sent, no link exists, and the audit says so
    assert mail.outbox == [] and not PortalLink.objects.exists()
    events = PortalAccessEvent.objects.filter(kind=Kind.LINK_NOT_SENT)
    assert events.count() == 2
    assert {event.data["order"] for event in events} == {"1001", "9999"}
    assert events.filter(ip_address="203.0.113.9").exists()


def test_the_email_picks_the_order_when_two_stores_share_a_number(maria_order):
    # given another store's order 1001, of another customer
    other = OrderFactory(number="1001", store="other-shop")
    # when that customer asks with their own email (in other case letters)
    portal_link_request(order_ref=" 1001 ", email=other.customer.email.upper())
    # then their link is for their order, and Maria's is not touched
    link = PortalLink.objects.get()
    assert (link.customer, link.order) == (other.customer, other)


def test_a_case_number_works_in_the_order_field_for_a_case_without_order(maria):
    # given a case of Maria's with no order
    case = CaseFactory(customer=maria, order=None, number="AS-NOOR-DER1")
    # when she asks with the case number (in lower case)
    token = issue("as-noor-der1")
    # then the link is hers, without order, and leads to the case
    link = PortalLink.objects.get()
    assert (link.customer, link.order) == (maria, None)
    assert link.next_path == f"/portal/cases/{case.number}/"
    assert token


def test_a_new_link_voids_the_older_unused_ones_for_that_order(maria_order):
    # given a link already sent
    first = issue()
    # when another one is asked for
    second = issue()
    # then the first is void and refused, and the second works
    with pytest.raises(PortalLinkVoided):
        portal_link_use(token=first)
    assert portal_link_use(token=second).customer == maria_order.customer


def test_a_link_works_once(token):
    # given a link used once
    portal_link_use(token=token, ip="198.51.100.7")
    # when it is used again, then it is refused and the refusal audited with its reason
    with pytest.raises(PortalLinkUsed):
        portal_link_use(token=token, ip="198.51.100.7")
    refused = PortalAccessEvent.objects.get(kind=Kind.LINK_REFUSED)
    assert refused.data == {"reason": "used"} and refused.ip_address == "198.51.100.7"


def test_a_link_works_for_ten_minutes(token, time_machine):
    # given a link sent just now
    # when 10 minutes and a second pass
    time_machine.move_to(timezone.now() + timedelta(minutes=10, seconds=1))
    # then it is refused as expired
    with pytest.raises(PortalLinkExpired):
        portal_link_use(token=token)
    assert PortalAccessEvent.objects.get(kind=Kind.LINK_REFUSED).data == {"reason": "expired"}


def test_a_link_still_works_just_before_ten_minutes(token, time_machine):
    time_machine.move_to(timezone.now() + timedelta(minutes=9, seconds=50))
    assert portal_link_use(token=token).link.used_at is not None


@pytest.mark.parametrize("bad", ["", "x", "not-a-token-at-all", "A" * 43])
def test_an_unknown_or_tampered_token_is_refused(token, bad):
    with pytest.raises(PortalLinkUnknown):
        portal_link_use(token=bad)
    # and the real link is still usable
    assert portal_link_use(token=token).link.used_at is not None


def test_a_tampered_character_is_refused(token):
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(PortalLinkUnknown):
        portal_link_use(token=tampered)


def test_an_agent_has_a_link_sent_to_the_cases_customer(
    maria_case, django_capture_on_commit_callbacks
):
    # given an agent
    alice = agent(username="alice")
    # when the agent asks for a link to be sent
    with django_capture_on_commit_callbacks(execute=True):
        portal_link_send_by_agent(case=maria_case, actor=alice)
    # then the customer gets a link that leads to the case, and both steps name the agent
    link = PortalLink.objects.get()
    assert link.customer == maria_case.customer and link.sent_by == alice
    assert link.next_path == f"/portal/cases/{maria_case.number}/"
    assert token_in(mail.outbox[-1])
    kinds = set(PortalAccessEvent.objects.filter(actor=alice).values_list("kind", flat=True))
    assert kinds == {Kind.LINK_REQUESTED, Kind.LINK_SENT}


def test_an_agent_cannot_send_a_link_to_a_customer_without_email(db):
    case = CaseFactory(customer=CustomerFactory(email=""))
    with pytest.raises(CustomerWithoutEmail):
        portal_link_send_by_agent(case=case, actor=agent(username="alice"))
    assert not PortalAccessEvent.objects.exists()
