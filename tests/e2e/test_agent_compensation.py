"""An agent proposes a compensation above the limit on the case workspace; a supervisor
approves it from the approval queue.

Screenshots go to var/artifacts/e2e/agent-compensation/."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.tickets.factories import (
    CaseFactory,
    ExchangeRateFactory,
    OrderFactory,
    agent,
    supervisor,
)
from tickets.models import Compensation

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "agent-compensation"

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def sign_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/agent/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()


def assert_no_violation(page):
    assert page.evaluate("window.__csp || []") == []


def test_an_agent_proposes_above_the_limit_and_a_supervisor_approves(live_server, page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.add_init_script(RECORD_VIOLATIONS)
    # given a case on an order in US dollars (1 USD = 0.9 EUR) with a small refund already
    agent(username="alice")
    supervisor(username="sam")
    ExchangeRateFactory(currency="USD", rate=Decimal("0.9"))
    case = CaseFactory(order=OrderFactory(currency="USD"), subject="Kettle arrived dented")
    case_url = f"/agent/cases/{case.number}/"

    # when the agent opens the case and types 200 dollars
    sign_in(page, live_server, "alice", case_url)
    form = page.locator(".comp-panel")
    form.get_by_text("Propose compensation").click()
    form.get_by_label("Kind").select_option(label="Partial refund")
    form.get_by_label("Amount (USD)").fill("200")
    form.get_by_label("Note").fill("Dent on the lid; customer keeps it")
    # then the panel shows the euro equivalent and says a supervisor must approve it
    expect(page.locator("[data-comp-base]")).to_have_text("≈ €180.00")
    expect(page.locator("[data-comp-hint]")).to_have_text(
        "Above the limit: a supervisor must approve it."
    )
    page.screenshot(path=SHOTS / "panel-typing.png")
    assert_no_violation(page)

    # when she proposes it
    form.get_by_role("button", name="Propose").click()
    # then it waits for a supervisor, and she cannot approve it herself
    expect(page.get_by_role("status")).to_have_text(
        "Partial refund of $200.00 proposed; it waits for a supervisor."
    )
    expect(page.get_by_text("Waits for a supervisor", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    page.screenshot(path=SHOTS / "panel-proposed.png")
    page.locator(".comp-panel").screenshot(path=SHOTS / "panel-pane.png")

    # when the supervisor opens the approval queue
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "sam", "/agent/compensations/")
    expect(page.get_by_role("heading", name="Compensation approvals")).to_be_visible()
    row = page.locator("tr.comp-queue-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(case.number)
    expect(row).to_contain_text("$200.00")
    expect(row).to_contain_text("€180.00")
    expect(row).to_contain_text("alice")
    page.screenshot(path=SHOTS / "queue.png")
    assert_no_violation(page)

    # and approves it
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Partial refund of $200.00 on case {case.number} approved."
    )
    expect(page.get_by_text("Nothing waits for approval.")).to_be_visible()
    compensation = Compensation.objects.get(case=case)
    assert compensation.status == Compensation.Status.APPROVED
    assert compensation.approved_by.username == "sam"

    # then it waits to be issued on the other tab
    page.get_by_role("link", name="Approved, not yet issued").click()
    expect(page.locator("tr.comp-queue-row")).to_contain_text(case.number)
    page.locator("tr.comp-queue-row").get_by_text("Mark issued").first.click()
    page.screenshot(path=SHOTS / "queue-approved.png")
    assert_no_violation(page)

    # and on the case page (the context pane is about 320 px wide) it can be marked failed
    page.locator("tr.comp-queue-row").get_by_role("link", name=case.number).click()
    panel = page.locator(".comp-panel")
    panel.locator("summary", has_text="Mark failed").click()
    panel.get_by_label("What failed?").fill("Card expired")
    panel.screenshot(path=SHOTS / "panel-approved.png")
    panel.get_by_role("button", name="Mark failed").click()
    expect(page.get_by_role("status")).to_contain_text("marked failed")
    expect(page.locator(".comp-panel")).to_contain_text("Failed: Card expired")
    page.locator(".comp-panel").screenshot(path=SHOTS / "panel-failed.png")
    assert_no_violation(page)
