"""A customer with a Chinese return address downloads their label on a phone, in Debian's
Chromium at 390 px: the return parcel on the order page links the label in both sizes, and the
file saved is a PDF whose barcode is the tracking number. Screenshots under
var/artifacts/e2e/labels/ for a person to look at."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from shipments.labels.services import label_issue
from tests.shipments.labels.conftest import ADDRESSES
from tests.shipments.labels.pdfread import bars, decode_code128, text
from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory
from tests.tickets.portal.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "labels"
WIDTH = 390


@pytest.fixture
def world():
    customer = CustomerFactory(name="王小明", language="zh-hans", timezone="Asia/Shanghai")
    order = OrderFactory(customer=customer, number="A-2026", shipping_country="CN")
    case = CaseFactory(customer=customer, order=order, language="zh-hans")
    label = label_issue(
        order=order,
        case=case,
        reference="RMA-2026-0001",
        customer_address=ADDRESSES["chinese"],
        actor=None,
    )
    return customer, order, label


@pytest.fixture
def phone(browser, live_server, world):  # noqa: F811
    session = sign_in(Client(), world[0]).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": WIDTH, "height": 844},
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_a_customer_downloads_their_return_label_on_a_phone(live_server, phone, world, tmp_path):
    _customer, order, label = world
    page = phone

    page.goto(f"{live_server.url}/portal/orders/{order.pk}/")
    link = page.locator(f"a[href$='/portal/labels/{label.pk}/label.pdf?size=a4']")
    expect(link).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "order-with-label.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    for size in ("a4", "4x6"):
        with page.expect_download() as download:
            page.locator(f"a[href$='label.pdf?size={size}']").click()
        saved = tmp_path / f"label-{size}.pdf"
        download.value.save_as(saved)
        pdf = saved.read_bytes()
        assert pdf.startswith(b"%PDF")
        assert decode_code128(bars(pdf)) == label.shipment.tracking_number
        assert re.search("王小明", text(pdf))
