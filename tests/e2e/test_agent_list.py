"""An agent filters the case list, searches by order number, opens a case and bulk-assigns
three cases. Screenshots go to var/artifacts/e2e/agent-list/."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import cut_cells
from tests.e2e.test_agent_sign_in import sign_in, sign_in_any_language
from tests.tickets.factories import CaseFactory, CustomerFactory, OrderFactory, agent, supervisor
from tickets.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "agent-list"
KINDS = ["defect", "wrong_item", "shipment_issue", "general"]
NAMES = ["Maria Lopez", "Jan Kowalski", "Aiko Tanaka", "Lukas Müller", "Chloé Martin"]
COUNTRIES = ["ES", "PL", "JP", "DE", "FR"]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    # a page still arriving (the sign-in's redirect) cannot be captured: wait until it has
    page.wait_for_load_state("load")
    page.screenshot(path=SHOTS / f"{name}.png")


@pytest.fixture
def queue(db):
    """30 open cases of every kind, some at risk, some breached, one with a known order."""
    now = timezone.now()
    for i in range(30):
        customer = CustomerFactory(name=NAMES[i % 5], country=COUNTRIES[i % 5])
        CaseFactory(
            customer=customer,
            order=OrderFactory(customer=customer, number=f"SO-{4000 + i}"),
            kind=KINDS[i % 4],
            status=Case.Status.OPEN if i % 3 else Case.Status.NEW,
            subject=f"Parcel {i}: the kettle lid is cracked and the box was wet",
            sla_due=now + timedelta(minutes=40 * (i % 9) - 90) if i % 6 else None,
        )


def test_filter_search_open_and_bulk_assign(live_server, page, queue):
    alice = agent(username="alice", first_name="Alice", last_name="Adams")
    sign_in(page, live_server, username="alice", password="pw")
    page.wait_for_url(f"{live_server.url}/agent/")
    shot(page, "home")

    # the list, filtered to wrong items through the filter bar
    page.goto(f"{live_server.url}/agent/cases/")
    expect(page.locator("tr.case-row")).to_have_count(25)
    # each SLA badge says on hover when it was due, in the page's language (times.js)
    expect(page.locator("time.sla-red").first).to_have_attribute(
        "title", re.compile(r"^Breached, was due \w{3} \d{1,2}, \d{4}")
    )
    # the red badges ("−1 h 30 m", in bold) and every other SLA and age are shown whole
    assert cut_cells(page) == []
    shot(page, "list")
    page.locator('select[name="kind"]').select_option("wrong_item")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/agent/cases/\?kind=wrong_item&sort=sla_due$"))
    expect(page.locator("tr.case-row")).to_have_count(8)
    shot(page, "list-wrong-items")

    # search by order number from the header
    page.locator("#agent-search").fill("SO-4007")
    page.locator("#agent-search").press("Enter")
    expect(page.locator("tr.case-row")).to_have_count(1)
    number = Case.objects.get(order__number="SO-4007").number
    shot(page, "search-order")

    # open the case: a click on the row goes to its workspace with the list's filters
    page.locator("tr.case-row td.col-subject").first.click()
    expect(page).to_have_url(re.compile(rf"/agent/cases/{number}/\?q=SO-4007"))

    # bulk-assign three cases to Alice
    page.goto(f"{live_server.url}/agent/cases/?assignee=none")
    boxes = page.locator('input[name="cases"]')
    for i in range(3):
        boxes.nth(i).check()
    page.locator("#bulk-action").select_option("assign")
    page.locator('select[name="assignee"]').last.select_option("me")
    shot(page, "bulk-ticked")
    page.get_by_role("button", name="Apply…").click()
    expect(page.get_by_text("Assign 3 cases to Alice Adams.")).to_be_visible()
    shot(page, "bulk-confirm")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("3 cases done.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/agent/cases/\?assignee=none$"))
    shot(page, "bulk-done")
    assert Case.objects.filter(assignee=alice).count() == 3


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_at_1024_px_a_supervisor_s_header_keeps_every_control_on_screen(
    live_server, browser, locale
):
    # Given a supervisor, whose header holds the most links, on a 1024 px screen
    supervisor(username="sam", first_name="Samuel", last_name="Ortega-Fernández")
    context = browser.new_context(locale=locale, viewport={"width": 1024, "height": 768})
    page = context.new_page()
    sign_in_any_language(page, live_server, username="sam", password="pw")
    # When she opens the case list, whose search box is the widest
    page.goto(f"{live_server.url}/agent/cases/")
    shot(page, f"1024-header-{locale}")
    # Then every link and button of the header lies whole on the screen, none cut or broken
    controls = page.locator(".agent-header a:visible, .agent-header button:visible")
    assert controls.count() >= 10
    for box in controls.evaluate_all(
        """(els) => els.map((el) => {
            const text = document.createRange();
            text.selectNodeContents(el);
            const lines = new Set([...text.getClientRects()].map((r) => Math.round(r.top)));
            return [el.textContent.trim(), el.getBoundingClientRect().right, lines.size];
        })"""
    ):
        label, right, lines = box
        assert right <= 1024, f"{label!r} ends at {right} px"
        assert lines == 1, f"{label!r} is broken over {lines} lines"
    page.locator(".agent-header").get_by_role(
        "button", name=re.compile("Sign out|Abmelden")
    ).click()
    expect(page).to_have_url(re.compile("/agent/login/"))
    context.close()
