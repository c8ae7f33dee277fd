"""Headless Debian Chromium driven by Playwright against pytest-django's live server."""

import os

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

# Playwright's sync API keeps an asyncio loop running in this thread for as long as the browser
# lives, and Django refuses ORM calls from a thread with a running loop. The live server answers
# requests in its own thread; only the tests' own setup (factories) runs here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
# No sandbox in containers; the rest keeps Chromium from calling Google's services.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """Debian's Chromium, one per test process; no test downloads a browser of its own."""
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make e2e-browser`.")
    # With a loop running, asgiref gives this thread fresh database connections of its own.
    # Hand the tests the ones the test database was set up with: they carry the snapshot of
    # the migrations' data (groups, SLA policies) that serialized rollback restores.
    set_up = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in set_up.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh context per test: no cookies, session or language choice carry over."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def cut_cells(page) -> list[str]:
    """The case table's cells whose text is cut to "…" (the customer and the subject may be:
    they say it all on hover), as "class: text"."""
    return page.evaluate(
        """() => [...document.querySelectorAll(".case-table td")]
            .filter(td => !td.matches(".col-check, .col-customer, .col-subject"))
            .filter(td => td.scrollWidth > td.clientWidth)
            .map(td => `${td.className}: ${td.innerText}`)"""
    )
