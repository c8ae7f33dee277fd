"""The shipments app's portal pages on a phone, in Debian's Chromium at 390 px, in English and
German: My orders, the order's tracking, the parcel form and the case it opens. No horizontal
scroll; screenshots under var/artifacts/e2e/shipments-portal/ for a person to look at. (Here,
beside the other browser tests, so that one process starts one browser.)"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.shipments.portal.conftest import NOW, make_parcel
from tests.tickets.factories import CustomerFactory, OrderFactory, OrderLineFactory
from tests.tickets.portal.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "shipments-portal"
WIDTH = 390


@pytest.fixture
def world(time_machine):
    """A customer in Tokyo with an order whose parcel is held in customs; time moved first."""
    time_machine.move_to(NOW, tick=False)
    customer = CustomerFactory(language="en", timezone="Asia/Tokyo")
    order = OrderFactory(customer=customer, number="A-1001")
    OrderLineFactory(order=order, title="Kettle", sku="KET-1")
    return customer, order, make_parcel(order)


@pytest.fixture
def phone(browser, live_server, world):
    session = sign_in(Client(), world[0]).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        locale="en-US", viewport={"width": WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, name


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_customer_follows_and_reports_a_parcel_on_a_phone(live_server, phone, world, language):
    _customer, portal_order, parcel = world
    page = phone
    page.goto(f"{live_server.url}/portal/orders/")
    if language != "en":
        page.get_by_label(re.compile("Language|Sprache")).select_option(label="Deutsch")
        expect(page.locator("html")).to_have_attribute("lang", language)
    shot(page, f"{language}-1-my-orders")

    page.locator(f"a[href='/portal/orders/{portal_order.pk}/']").first.click()
    expect(page.locator(f"#parcel-{parcel.pk}")).to_be_visible()
    shot(page, f"{language}-2-order-tracking")

    page.goto(f"{live_server.url}/portal/orders/{portal_order.pk}/help/?branch=parcel")
    expect(page.locator("input[name=shipment]")).to_be_checked()
    page.locator("#id_message").fill("Seit einer Woche beim Zoll / stuck in customs")
    shot(page, f"{language}-3-parcel-form")

    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/portal/cases/[\w-]+/$"))
    expect(page.locator(".flash")).to_be_visible()
    shot(page, f"{language}-4-case")
