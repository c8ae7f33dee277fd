"""A new customer's whole way through the portal, in Debian's Chromium on a phone-sized screen:
ask for a link, open it from the email, switch to German, open a case with a photo, reply to it
and find it under My cases. Each step leaves a screenshot under var/artifacts/e2e/portal-flow/."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from tests.tickets.factories import CustomerFactory, OrderFactory, OrderLineFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "portal-flow"
LINK = re.compile(r"https?://\S+/portal/link/[\w-]+/")


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "kettle.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 60, 40)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def _shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


def test_a_customer_asks_for_help_in_german_with_a_photo_and_replies(
    live_server, phone, photo, settings
):
    settings.SITE_URL = live_server.url
    # Given a customer with an order of a kettle
    customer = CustomerFactory(email="maria@example.com", language="en", timezone="Europe/Berlin")
    order = OrderFactory(customer=customer, number="4711")
    OrderLineFactory(order=order, title="Kettle", sku="KET-1")
    page = phone

    # When she asks for a link with her order number and email
    page.goto(f"{live_server.url}/portal/")
    _shot(page, "01-access-form")
    page.get_by_label("Order number").fill("4711")
    page.get_by_label("Email").fill("maria@example.com")
    page.get_by_role("button", name=re.compile("link", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("email", re.I))
    _shot(page, "02-link-sent")

    # Then the worker emailed her a link, which she opens and confirms
    assert len(mail.outbox) == 1
    link = LINK.search(mail.outbox[0].body).group(0)
    page.goto(link)
    _shot(page, "03-confirm")
    page.get_by_role("button", name=re.compile("continue", re.I)).click()
    expect(page).to_have_url(re.compile(r"/portal/orders/$"))
    assert "/link/" not in page.url
    _shot(page, "04-my-orders")

    # When she switches to German
    page.get_by_label("Language").select_option(label="Deutsch")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    _shot(page, "05-my-orders-de")

    # And asks for help with the order: something else, with a photo
    page.get_by_role("button", name="Hilfe zu dieser Bestellung").click()
    _shot(page, "06-what-happened")
    page.get_by_label(re.compile("Etwas anderes", re.I)).check()
    page.get_by_role("button", name=re.compile("Weiter", re.I)).click()
    _shot(page, "07-general-form")
    page.get_by_label("Beschreiben Sie, was passiert ist").fill(
        "Der Deckel des Wasserkochers schließt nicht richtig."
    )
    page.locator("input[type=file]").set_input_files(str(photo))
    _shot(page, "08-general-form-filled")
    page.get_by_role("button", name="Senden").click()

    # Then her case opens, with her photo in the thread
    expect(page).to_have_url(re.compile(r"/portal/cases/[A-Z]+-[A-Z0-9]{4}-[A-Z0-9]{4}/$"))
    expect(
        page.get_by_text("Der Deckel des Wasserkochers schließt nicht richtig.", exact=True)
    ).to_be_visible()
    thumbnail = page.locator("img[src*='/portal/files/']")
    expect(thumbnail).to_have_count(1)
    # The photo itself came back through the permission-checked view, re-encoded at its size
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") == 640
    _shot(page, "09-case-page")
    number = re.search(r"/portal/cases/([^/]+)/", page.url).group(1)

    # When she replies
    page.get_by_label("Ihre Nachricht").fill("Ein zweites Foto folgt.")
    page.get_by_role("button", name="Senden").click()
    expect(page.get_by_text("Ein zweites Foto folgt.", exact=True)).to_be_visible()
    _shot(page, "10-case-replied")

    # Then the case is under My cases
    page.get_by_role("link", name="Meine Anfragen").click()
    expect(page.get_by_text(number)).to_be_visible()
    _shot(page, "11-my-cases")
