"""The customer portal starts in English and follows the language switcher."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_language_switcher_changes_the_portal_language(live_server, page, tmp_path):
    # Given the portal, opened by an English-speaking browser
    page.goto(f"{live_server.url}/portal/")
    heading = page.get_by_role("heading", level=1)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(heading).to_have_text("How can we help with your order?")
    page.screenshot(path=tmp_path / "portal-en.png", full_page=True)

    # When the customer picks Deutsch
    page.get_by_label("Language").select_option(label="Deutsch")

    # Then the page is German
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(heading).to_have_text("Wie können wir Ihnen bei Ihrer Bestellung helfen?")

    # When she picks Simplified Chinese
    page.get_by_label("Sprache").select_option(label="简体中文")

    # Then the page is in Simplified Chinese
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(heading).to_have_text("关于您的订单，我们能为您做些什么？")
    page.screenshot(path=tmp_path / "portal-zh-hans.png", full_page=True)
    assert (tmp_path / "portal-zh-hans.png").stat().st_size > 0
