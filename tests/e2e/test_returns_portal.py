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
from playwright.sync_api import expect

from returns.models import ReturnRequest
from returns.services.claims import LineClaim, return_request_submit
from tests.returns.factories import ReturnPolicyFactory, noon, order_line
from tests.tickets.evidence.files import png
from tests.tickets.factories import agent
from tests.tickets.portal.conftest import sign_in
from tickets.models import Case

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
    shot(page, f"{language}-1-defect-form")

    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/cases/[\w-]+/$"))
    created = ReturnRequest.objects.get()
    expect(page.locator(".flash")).to_contain_text(created.rma)
    assert created.photos.count() == 1
    shot(page, f"{language}-2-case")
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
    ana = agent(username="ana")
    session = Client()
    session.force_login(ana)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
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
    page = context.new_page()
    page.goto(f"{live_server.url}/agent/cases/{waiting.case.number}/")
    expect(page.locator(".rt-panel")).to_contain_text(waiting.rma)
    shot(page, "agent-1-panel", width=1280)
    page.locator("#rt-reason").fill("The item was worn.")
    page.locator(".rt-panel button.secondary").click()
    expect(page.locator(".rt-panel .rt-status")).to_have_text("Rejected")
    shot(page, "agent-2-rejected", width=1280)
    context.close()
