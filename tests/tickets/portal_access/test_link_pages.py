"""/portal/link/<token>/: GET and HEAD confirm and change nothing, POST signs in once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.tickets.factories import CustomerFactory, OrderFactory
from tests.tickets.portal_access.conftest import issue, link_path
from tickets.models import PortalAccessEvent, PortalLink
from tickets.portal.session import SESSION_KEY

pytestmark = pytest.mark.django_db
Kind = PortalAccessEvent.Kind


def _unchanged(link_before: PortalLink) -> bool:
    link = PortalLink.objects.get(pk=link_before.pk)
    return (
        link.used_at is None
        and link.voided_at is None
        and not PortalAccessEvent.objects.exclude(kind=Kind.LINK_SENT).exists()
    )


def _signed_in_as(client) -> int | None:
    return (client.session.get(SESSION_KEY) or {}).get("customer")


def test_opening_the_link_shows_a_confirm_page_and_changes_nothing(client, token):
    link = PortalLink.objects.get()
    # when a mail scanner (or the customer) opens the link, and a HEAD follows
    response = client.get(link_path(token))
    head = client.head(link_path(token))
    # then a page with a Continue button that posts back is shown
    page = response.content.decode()
    assert response.status_code == 200 and head.status_code == 200
    assert '<form method="post"' in page and ">Continue</button>" in page
    # and the link is still usable, nobody is signed in, nothing is audited
    assert _unchanged(link)
    assert _signed_in_as(client) is None


@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_link_pages_are_not_cached_and_send_no_referrer(client, token, method):
    response = getattr(client, method)(link_path(token))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_other_portal_pages_keep_the_referrer_on_our_site(client):
    assert client.get("/portal/")["Referrer-Policy"] == "same-origin"


def test_continue_signs_in_as_the_links_customer_and_leaves_the_token_behind(client, token, maria):
    # given another customer, signed in already in this browser
    other = CustomerFactory()
    session = client.session
    session[SESSION_KEY] = {"customer": other.pk, "started": 0, "seen": 0}
    session.save()
    # when the customer presses Continue
    response = client.post(link_path(token), REMOTE_ADDR="198.51.100.7")
    # then the browser is signed in as Maria (and only Maria), on a new session key
    assert response.status_code == 303
    assert response["Location"] == "/portal/orders/"
    assert token not in response["Location"]
    assert _signed_in_as(client) == maria.pk
    assert client.session.session_key != session.session_key
    # and the sign-in is audited, the link used
    event = PortalAccessEvent.objects.get(kind=Kind.SIGNED_IN)
    assert event.customer == maria and event.ip_address == "198.51.100.7"
    assert PortalLink.objects.get().used_at is not None


def test_continue_goes_on_to_the_page_the_customer_asked_for(client, maria_order):
    token = issue(next_path="/portal/cases/AS-MARI-A001/?order=1001")
    response = client.post(link_path(token))
    assert response["Location"] == "/portal/cases/AS-MARI-A001/?order=1001"


def _refused(response, status, heading, order="1001"):
    page = response.content.decode()
    assert response.status_code == status, page
    assert heading in page
    # with the access form to ask for a new link, filled in with the order number if known
    assert 'action="/portal/"' in page and 'name="email"' in page
    assert f'id="id_order"\n         value="{order}"' in page or f'value="{order}"' in page
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_a_used_link_is_refused_on_get_and_post(client, token):
    client.post(link_path(token))
    fresh = Client()
    _refused(fresh.get(link_path(token)), 410, "This link has already been used")
    _refused(fresh.post(link_path(token)), 410, "This link has already been used")
    assert _signed_in_as(fresh) is None


def test_an_expired_link_is_refused(client, token, time_machine):
    time_machine.move_to(timezone.now() + timedelta(minutes=11))
    _refused(client.get(link_path(token)), 410, "This link has expired")
    _refused(client.post(link_path(token)), 410, "This link has expired")
    assert _signed_in_as(client) is None
    assert PortalAccessEvent.objects.get(kind=Kind.LINK_REFUSED).data == {"reason": "expired"}


def test_a_superseded_link_is_refused(client, maria_order):
    first = issue()
    second = issue()
    _refused(client.get(link_path(first)), 410, "A newer link replaced this one")
    _refused(client.post(link_path(first)), 410, "A newer link replaced this one")
    assert client.post(link_path(second)).status_code == 303


def test_a_tampered_link_is_refused_and_the_real_one_still_works(client, token):
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    _refused(client.get(link_path(tampered)), 404, "This link does not work", order="")
    _refused(client.post(link_path(tampered)), 404, "This link does not work", order="")
    assert _signed_in_as(client) is None
    assert client.post(link_path(token)).status_code == 303


def test_a_link_signs_in_only_its_own_customer(client, maria_order):
    # given links for Maria and for another customer
    other_order = OrderFactory(number="2002")
    maria_token = issue()
    other_token = issue("2002", other_order.customer.email)
    # when each is used in its own browser, then each browser is signed in as its customer
    other_browser = Client()
    client.post(link_path(maria_token))
    other_browser.post(link_path(other_token))
    assert _signed_in_as(client) == maria_order.customer.pk
    assert _signed_in_as(other_browser) == other_order.customer.pk


def test_continue_needs_its_csrf_token(token):
    browser = Client(enforce_csrf_checks=True)
    # a POST without the token is refused and uses nothing
    assert browser.post(link_path(token)).status_code == 403
    assert PortalLink.objects.get().used_at is None
    # the confirm page's form carries the token
    browser.get(link_path(token))
    csrf = browser.cookies["csrftoken"].value
    response = browser.post(link_path(token), {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 303


def test_other_methods_are_refused(client, token):
    assert client.put(link_path(token)).status_code == 405
    assert client.delete(link_path(token)).status_code == 405
    assert PortalLink.objects.get().used_at is None


@pytest.mark.parametrize("odd", ["%00", "a%0Ab", "%E2%80%AE" * 3, "x" * 2000, "%FF%FE"])
def test_an_odd_token_is_a_friendly_404_not_a_500(client, odd):
    for response in (client.get(f"/portal/link/{odd}/"), client.post(f"/portal/link/{odd}/")):
        assert response.status_code == 404
        assert b"This link does not work" in response.content


def test_a_token_with_slashes_matches_no_link_page(client):
    assert client.get("/portal/link/..%2F..%2Fagent/").status_code == 404
