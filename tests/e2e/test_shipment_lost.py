"""The lost-parcel flow end to end in Debian's Chromium: an agent declares a parcel lost from
the case's shipment panel, the customer follows the email's link to the portal (on a phone)
and chooses a replacement, the agent ships it, and the replacement appears on the same case;
every step's message to the customer is sent.

Screenshots go to var/artifacts/e2e/shipment-lost/."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import expect

from shipments.models import Finding, Shipment
from shipments.services.issue_cases import issue_case_for
from tests.shipments.factories import ShipmentFactory, TrackingEventFactory
from tests.tickets.factories import CustomerFactory, OrderFactory, agent
from tickets.models import Compensation, Notification

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "shipment-lost"
PORTAL_LINK = re.compile(r"https?://\S+/portal/link/[\w-]+/")

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def sign_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/agent/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()


def _sent(template):
    return Notification.objects.filter(
        template=template, channel="email", status=Notification.Status.SENT
    )


def test_lost_parcel_declared_replacement_chosen_in_the_portal_and_shipped(
    live_server, page, phone, settings
):
    settings.SITE_URL = live_server.url
    page.add_init_script(RECORD_VIOLATIONS)
    # given a parcel to Maria that stalled in transit, with its shipment-issue case
    agent(username="alice")
    customer = CustomerFactory(email="maria@example.com", language="en", timezone="Europe/Paris")
    order = OrderFactory(customer=customer, number="4711", total=Decimal("54.90"))
    shipment = ShipmentFactory(order=order, tracking_number="JD014600000001")
    TrackingEventFactory(shipment=shipment, message="Arrived at the sort hub", location="Leipzig")
    TrackingEventFactory(shipment=shipment, message="Departed the sort hub", location="Leipzig")
    case, _opened = issue_case_for(shipment=shipment)
    Finding.objects.create(rule="stalled", order=order, shipment=shipment, case=case)
    case_url = f"/agent/cases/{case.number}/"

    # when the agent opens the case, sees the shipment panel and declares the parcel lost
    sign_in(page, live_server, "alice", case_url)
    panel = page.locator(".shp-panel")
    expect(panel.get_by_text("Departed the sort hub")).to_be_visible()
    expect(panel.get_by_text("Stalled")).to_be_visible()
    panel.scroll_into_view_if_needed()
    _shot(page, "01-agent-panel")
    panel.get_by_role(
        "button",
        name="Declare lost and ask maria@example.com to choose a refund or a replacement",
    ).click()
    expect(page.get_by_role("status")).to_contain_text("declared lost")
    expect(panel.get_by_text("Waiting for the customer to choose")).to_be_visible()
    _shot(page, "02-agent-declared-lost")
    assert page.evaluate("window.__csp || []") == []

    # then Maria was emailed a link to choose
    lost_mail = _sent("shipment_lost").get(case=case)
    choice_link = re.search(r"https?://\S+/portal/shipments/\d+/lost/", lost_mail.body).group(0)

    # when she follows it on her phone, signs in with the portal's link, and lands on the choice
    phone.goto(choice_link)
    phone.get_by_label("Order number").fill("4711")
    phone.get_by_label("Email").fill("maria@example.com")
    phone.get_by_role("button", name=re.compile("link", re.I)).click()
    link = PORTAL_LINK.search(mail.outbox[-1].body).group(0)
    phone.goto(link)
    phone.get_by_role("button", name=re.compile("continue", re.I)).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your parcel is lost")
    # (her case page asks for the same choice, with a button to it)
    phone.goto(f"{live_server.url}/portal/cases/{case.number}/")
    choose = phone.get_by_role("button", name="Choose a refund or a replacement")
    expect(choose).to_be_visible()
    _shot(phone, "03-portal-case-asks-to-choose")
    choose.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Your parcel is lost")
    _shot(phone, "03-portal-choice")

    # and chooses a replacement
    phone.get_by_text("Replacement", exact=True).click()
    phone.get_by_role("button", name="Confirm my choice").click()
    expect(phone.get_by_role("status")).to_have_text(
        "Thank you. We are sending your order again by express."
    )
    expect(phone.get_by_role("heading", name="You chose a replacement")).to_be_visible()
    _shot(phone, "04-portal-chosen")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # then the case shows the choice; the agent ships the replacement with its number
    page.reload()
    expect(panel.get_by_text("Settled: Replacement")).to_be_visible()
    panel.get_by_label("Replacement's tracking number").fill("JD014600009999")
    panel.get_by_role("button", name="Ship replacement and tell maria@example.com").click()
    expect(page.get_by_role("status")).to_contain_text("Replacement shipped as JD014600009999")
    replacement_card = panel.locator(".shp", has=page.locator(".shp-dir-replacement"))
    expect(replacement_card.locator(".shp-number")).to_contain_text("JD014600009999")
    expect(replacement_card.get_by_text("Expedited")).to_be_visible()
    replacement_card.scroll_into_view_if_needed()
    _shot(page, "05-agent-replacement-on-case")
    assert page.evaluate("window.__csp || []") == []

    # and the replacement is a shipment on the same case, with its compensation and messages
    replacement = Shipment.objects.get(direction="replacement")
    assert (replacement.case, replacement.service_level) == (case, "expedited")
    assert Compensation.objects.get(case=case).kind == "replacement"
    for template in ("shipment_lost", "shipment_lost_outcome", "shipment_replacement_shipped"):
        assert _sent(template).filter(case=case).count() == 1, template
