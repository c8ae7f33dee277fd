"""The returns app in Debian's Chromium: a customer files a defect claim with a photo on a
phone (390 px, English and German) through the wizard, sees each item's deadline, and lands on
the case with its RMA; an agent sees the return panel (1280 px) and rejects a waiting return.
Screenshots under var/artifacts/e2e/returns/ for a person to look at."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from returns.models import ReturnRequest
from returns.services.claims import LineClaim, return_request_submit
from shipments.labels.models import Label
from shipments.models import ShipmentStatus
from shipments.services.intake import events_record
from shipments.tracking import EventIn
from tests.returns.factories import ReturnPolicyFactory, noon, order_line
from tests.shipments.labels.pdfread import bars, decode_code128, text
from tests.tickets.evidence.files import png
from tests.tickets.factories import agent
from tests.tickets.portal.conftest import sign_in
from tickets.models import Case, Notification

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "returns"
WIDTH = 390


@pytest.fixture
def line(time_machine, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    time_machine.move_to(noon(date(2027, 3, 5)), tick=False)
    ReturnPolicyFactory(window_days=30, excluded_skus="GIFT-*")
    kettle = order_line(
        placed=date(2027, 2, 25),
        delivered=date(2027, 3, 1),
        quantity=2,
        customer__language="en",
        number="A-1001",
    )
    kettle.title = "Wasserkocher Edelstahl 1,7 Liter mit Temperaturwahl"
    kettle.save()
    gift = order_line(placed=date(2027, 2, 25), sku="GIFT-50")
    gift.order, gift.title = kettle.order, "Gift card"
    gift.save()
    return kettle


def _agent_context(browser, live_server, *, height):
    """A desktop Chromium context signed in as the agent "ana"."""
    session = Client()
    session.force_login(agent(username="ana"))
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": height})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    context.set_default_timeout(10_000)
    return context


def shot(page, name, width=WIDTH):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_defect_claim_with_a_photo_on_a_phone(browser, live_server, line, language, tmp_path):
    session = sign_in(Client(), line.order.customer).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        locale="en-US", viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/portal/orders/{line.order.pk}/help/")
    if language != "en":
        page.get_by_label(re.compile("Language|Sprache")).select_option(label="Deutsch")
        expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("input[value=defect]").check()
    page.locator("main button[type=submit]").click()
    page.locator(f"input[name=line][value='{line.pk}']").check()
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/portal/orders/{line.order.pk}/defect/\?line="))
    expect(page.locator(".rt-eligibility.is-ok").first).to_be_visible()
    page.locator("#id_reason_code").select_option("damaged_in_transit")
    page.locator("#id_description").fill("The lid is cracked.")
    photo = tmp_path / "crack.png"
    photo.write_bytes(png())
    page.locator("#id_files").set_input_files(str(photo))
    page.locator("input[name=preferred_outcome][value=replacement]").check()
    # where the parcel leaves from: the name and country come filled in
    expect(page.locator("#id_sender-name")).not_to_have_value("")
    page.locator("#id_sender-line1").fill("Karl-Liebknecht-Straße 12")
    page.locator("#id_sender-postcode").fill("04107")
    page.locator("#id_sender-city").fill("Leipzig")
    shot(page, f"{language}-1-defect-form")

    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/cases/[\w-]+/$"))
    created = ReturnRequest.objects.get()
    expect(page.locator(".flash")).to_contain_text(created.rma)
    assert created.photos.count() == 1
    # approved by the policy, the label is issued: the case page has the button to it
    assert created.status == ReturnRequest.Status.LABEL_ISSUED
    button = page.locator("main a[href*='/portal/labels/']").first
    expect(button).to_be_visible()
    shot(page, f"{language}-2-case")
    # the customer downloads it: a PDF whose barcode carries the tracking number
    pdf = page.request.get(f"{live_server.url}{button.get_attribute('href')}")
    assert pdf.headers["content-type"] == "application/pdf"
    tracking = Label.objects.get(reference=created.rma).shipment.tracking_number
    assert decode_code128(bars(pdf.body())) == tracking
    assert created.rma in text(pdf.body())
    context.close()


def test_an_agent_sees_the_panel_and_rejects(browser, live_server, line):
    from returns.models import ReturnPolicy

    ReturnPolicy.objects.update(auto_approve_max_value=None)
    waiting = return_request_submit(
        order=line.order,
        kind="return",
        lines=[LineClaim(order_line_id=line.pk, quantity=1, reason_code="doesnt_fit")],
        preferred_outcome="refund",
        channel=Case.Channel.PORTAL,
    )
    context = _agent_context(browser, live_server, height=800)
    page = context.new_page()
    page.goto(f"{live_server.url}/agent/cases/{waiting.case.number}/")
    expect(page.locator(".rt-panel")).to_contain_text(waiting.rma)
    shot(page, "agent-1-panel", width=1280)
    page.locator("#rt-reason").fill("The item was worn.")
    page.locator(".rt-panel button.secondary").click()
    expect(page.locator(".rt-panel .rt-status")).to_have_text("Rejected")
    shot(page, "agent-2-rejected", width=1280)
    context.close()


def test_the_parcel_comes_back_an_agent_inspects_and_refunds(browser, live_server, line):
    """After the label: the return parcel is delivered (a tracking event), the agent inspects
    and refunds from the panel, and the customer sees the refund on the case and gets the
    email."""
    created = return_request_submit(
        order=line.order,
        kind="return",
        lines=[LineClaim(order_line_id=line.pk, quantity=1, reason_code="doesnt_fit")],
        preferred_outcome="refund",
        channel=Case.Channel.PORTAL,
        sender_address={
            "name": "Lena Weber",
            "line1": "Karl-Liebknecht-Str. 12",
            "postcode": "04107",
            "city": "Leipzig",
            "country": "DE",
        },
    )
    parcel = Label.objects.get(reference=created.rma).shipment
    events_record(
        shipment=parcel,
        events=(EventIn(occurred_at=timezone.now(), status=ShipmentStatus.DELIVERED),),
        source="api",
    )
    created.refresh_from_db()
    assert created.status == ReturnRequest.Status.RECEIVED
    context = _agent_context(browser, live_server, height=900)
    page = context.new_page()
    page.goto(f"{live_server.url}/agent/cases/{created.case.number}/")
    row = created.lines.get().pk
    page.locator(f"#rt-condition-{row}").select_option("B")
    page.locator(f"#rt-disposition-{row}").select_option("restock")
    page.locator(f"#rt-note-{row}").fill("Opened, complete.")
    page.locator(".rt-panel").screenshot(path=ARTIFACTS / "agent-3-inspection.png")
    page.get_by_role("button", name="Save the inspection").click()
    expect(page.locator(".rt-resolve")).to_contain_text("Refund due:")
    page.locator(".rt-panel").screenshot(path=ARTIFACTS / "agent-4-outcome.png")
    page.get_by_role("button", name="Decide and tell the customer").click()
    expect(page.locator(".rt-outcome")).to_contain_text("Refund")
    # the refund is paid by hand in the shop (the manual payment adapter): the agent enters
    # its reference; the clocks say by when it was due
    expect(page.locator(".rt-clocks")).to_contain_text("EU right of withdrawal")
    page.locator("#rt-reference").fill("SHOP-RF-1042")
    page.locator(".rt-panel").screenshot(path=ARTIFACTS / "agent-5-refund.png")
    page.get_by_role("button", name="The refund was made").click()
    expect(page.locator(".rt-refunds")).to_contain_text("SHOP-RF-1042")
    expect(page.locator(".rt-clocks .is-done")).to_be_visible()
    context.close()
    # the customer sees the refund on the case page, and got the email
    customer = line.order.customer
    cookie = sign_in(Client(), customer).cookies[settings.SESSION_COOKIE_NAME].value
    phone = browser.new_context(
        locale="en-US", viewport={"width": WIDTH, "height": 844}, is_mobile=True
    )
    phone.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    portal = phone.new_page()
    portal.goto(f"{live_server.url}/portal/cases/{created.case.number}/")
    expect(portal.get_by_text("Refund decided")).to_be_visible()
    expect(portal.get_by_text("Refund paid")).to_be_visible()
    expect(portal.get_by_text("We refunded €50.00 to you, the way you paid.")).to_be_visible()
    shot(portal, "en-3-refunded")
    phone.close()
    email = Notification.objects.get(template="return_resolved", channel="email")
    assert "€50.00" in email.body
    paid = Notification.objects.get(template="return_refunded", channel="email")
    assert "€50.00" in paid.body and created.rma in paid.subject
