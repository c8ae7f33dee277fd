"""The wrong-item path end to end in Debian's Chromium: a customer reports a wrong item with a
photo on a phone; an agent sends the apology macro, reships the right item by express and gives
a discount code from one screen; the customer sees the tracking and the code on their case page;
the agent records the root cause and closes; the root-cause report counts it. Screenshots under
var/artifacts/e2e/wrong-items/ for a person to look at."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.test_agent_sign_in import sign_in
from tests.shipments.factories import CarrierFactory, ShipmentFactory
from tests.tickets.conftest import media_root  # noqa: F401
from tests.tickets.evidence.files import jpeg
from tests.tickets.factories import (
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    agent,
    supervisor,
)
from tests.tickets.portal.conftest import sign_in as portal_sign_in
from tickets.models import Case, Message, Notification
from tickets.services.evidence import evidence_prepare
from tickets.services.transitions import case_transition
from wrong_items.demo import apology_macro_seed
from wrong_items.models import DiscountCode, RootCause, WrongItemReport
from wrong_items.services.reports import report_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "wrong-items"
WIDTH = 390


@pytest.fixture
def world():
    customer = CustomerFactory(name="Claire Martin", language="fr", timezone="Europe/Paris")
    order = OrderFactory(customer=customer, number="A-3003", shipping_country="FR")
    line = OrderLineFactory(
        order=order, title="Bouilloire rouge", sku="KET-RED", unit_price=Decimal("49.00")
    )
    ShipmentFactory(order=order, carrier=CarrierFactory())
    apology_macro_seed()
    return customer, order, line


def _phone(browser, live_server, customer):
    session = portal_sign_in(Client(), customer).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        locale="fr-FR", viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    context.set_default_timeout(10_000)
    return context


def test_the_wrong_item_path(live_server, browser, page, world, tmp_path, media_root):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    customer, order, line = world
    photo = tmp_path / "recu.jpg"
    photo.write_bytes(jpeg())
    # the customer reports the wrong item with a photo, on a phone
    phone_context = _phone(browser, live_server, customer)
    phone = phone_context.new_page()
    phone.goto(f"{live_server.url}/portal/orders/{order.pk}/wrong-item/?line={line.pk}")
    phone.locator("#id_received").fill("Une théière bleue")
    phone.locator("#id_received_sku").fill("TEA-BLUE")
    phone.locator("#id_files").set_input_files(str(photo))
    phone.screenshot(path=ARTIFACTS / "portal-report-form.png", full_page=True)
    phone.locator("form[enctype] button[type=submit]").click()
    phone.wait_for_url("**/portal/cases/**")
    report = WrongItemReport.objects.get()
    assert report.case.priority == "high"
    # the agent acts from one screen: apology, express reshipment, discount
    agent(username="alice")
    sign_in(page, live_server, username="alice", password="pw")
    page.goto(f"{live_server.url}/agent/cases/{report.case.number}/")
    apology = page.locator("#wi-apology")
    expect(apology).to_contain_text("Claire Martin")
    # a small order: the proposal waits on top, and acting by hand below sets it aside
    expect(page.locator(".wi-proposal")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "agent-panel.png", full_page=True)
    page.get_by_role("button", name="Send the apology").click()
    page.locator("#wi-tracking").fill("JD0146009999")
    page.get_by_role("button", name="Reship the right item, expedited").click()
    page.locator("#wi-value").fill("15")
    page.get_by_role("button", name="Send a discount code").click()
    expect(page.locator(".wi-panel code")).to_be_visible()
    expect(page.locator(".wi-proposal")).to_have_count(0)
    page.screenshot(path=ARTIFACTS / "agent-panel-acted.png", full_page=True)
    assert Message.objects.filter(case=report.case, author_kind="agent").exists()
    code = DiscountCode.objects.get().code
    # the customer sees the replacement's tracking and the code, and got them by email
    phone.goto(f"{live_server.url}/portal/cases/{report.case.number}/")
    expect(phone.get_by_text("JD0146009999", exact=False).first).to_be_visible()
    expect(phone.get_by_text(code, exact=False).first).to_be_visible()
    phone.screenshot(path=ARTIFACTS / "portal-case.png", full_page=True)
    assert Notification.objects.filter(case=report.case, template="wrong_item_discount").exists()
    phone_context.close()
    # the agent sets the root cause, then the case closes
    page.goto(f"{live_server.url}/agent/cases/{report.case.number}/")
    page.locator("#wi-category").select_option("packing")
    page.locator("#wi-warehouse").fill("Leipzig")
    page.get_by_role("button", name="Save the root cause").click()
    expect(page.get_by_text("Root cause recorded.")).to_be_visible()
    assert RootCause.objects.get().category == "packing"
    case = Case.objects.get(pk=report.case_id)
    if case.status == "new":
        case = case_transition(case=case, to="open", actor=None)
    case = case_transition(case=case, to="resolved", actor=None)
    assert case_transition(case=case, to="closed", actor=None).status == "closed"
    # and the root-cause report counts it
    supervisor(username="sam")
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    boss = context.new_page()
    sign_in(boss, live_server, username="sam", password="pw")
    boss.goto(f"{live_server.url}/agent/reports/")
    section = boss.locator("#report-wrong-item-pairs")
    expect(section).to_contain_text("KET-RED → TEA-BLUE")
    section.screenshot(path=ARTIFACTS / "report-pairs.png")
    boss.screenshot(path=ARTIFACTS / "reports.png", full_page=True)
    context.close()


def test_one_click_accepts_the_proposal(live_server, page, world, media_root):  # noqa: F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _customer, _order, line = world
    report = report_create(
        order_line=line,
        received_description="Une théière bleue",
        preference="reship",
        photos=evidence_prepare([SimpleUploadedFile("recu.jpg", jpeg(), "image/jpeg")]),
    )
    agent(username="alice")
    sign_in(page, live_server, username="alice", password="pw")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/agent/cases/{report.case.number}/")
    proposal = page.locator(".wi-proposal")
    expect(proposal).to_contain_text("a 10 % discount code for the next order")
    proposal.screenshot(path=ARTIFACTS / "agent-proposal.png")
    page.get_by_role("button", name="Accept the proposal").click()
    expect(
        page.get_by_text("Proposal accepted: the customer has the discount code.")
    ).to_be_visible()
    expect(page.locator(".wi-panel code")).to_be_visible()
    expect(page.locator(".wi-panel .shp-outcome").first).to_contain_text("reshipment approved")
    page.screenshot(path=ARTIFACTS / "agent-proposal-accepted.png", full_page=True)
    assert WrongItemReport.objects.get().proposal == "accepted"
    assert Notification.objects.filter(case=report.case, template="wrong_item_discount").exists()
