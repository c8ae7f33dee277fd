"""Every notification about a case links to the case's portal page, with its order number."""

import pytest

from tests.tickets.factories import CaseFactory, CustomerFactory
from tickets.models import Notification, ShortLink
from tickets.services.notifications import notify, portal_case_path

pytestmark = pytest.mark.django_db
SITE_URL = "https://support.shop.example"


def _sent(customer, case):
    notify(customer=customer, event="case_received", key="k", case=case)
    return {row.channel: row for row in Notification.objects.filter(customer=customer)}


def test_a_case_with_an_order_links_to_its_page_with_the_order_number(maria_case, daytime):
    maria_case.customer.sms_consent = True
    maria_case.customer.save()
    rows = _sent(maria_case.customer, maria_case)
    target = f"/portal/cases/{maria_case.number}/?order=1001"
    assert portal_case_path(maria_case) == target
    # the email's button and text
    email = rows[Notification.Channel.EMAIL]
    assert f'href="{SITE_URL}{target}"' in email.body_html
    assert f"{SITE_URL}{target}" in email.body
    # and the SMS short link
    assert ShortLink.objects.get().target == target
    assert rows[Notification.Channel.SMS].body.endswith(ShortLink.objects.get().code)


def test_a_case_without_an_order_links_to_its_page(maria):
    case = CaseFactory(customer=maria, order=None, number="AS-NOOR-DER1")
    email = _sent(maria, case)[Notification.Channel.EMAIL]
    assert f'href="{SITE_URL}/portal/cases/AS-NOOR-DER1/"' in email.body_html
    assert "?order=" not in email.body_html


def test_a_notification_without_a_case_links_to_the_portal(db):
    customer = CustomerFactory()
    email = _sent(customer, None)[Notification.Channel.EMAIL]
    assert f'href="{SITE_URL}/portal/"' in email.body_html


def test_the_link_leads_through_the_access_form_back_to_the_case(client, maria_case):
    # given a customer who is not signed in follows the link (the pages helper's case page
    # sends them to the access form, pre-filled; the form then carries the way back)
    page = client.get("/portal/", {"order": "1001", "next": portal_case_path(maria_case)})
    html = page.content.decode()
    assert 'value="1001"' in html
    assert f'name="next" value="/portal/cases/{maria_case.number}/?order=1001"' in html
