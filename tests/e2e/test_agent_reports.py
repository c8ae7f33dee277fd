"""A supervisor opens the reports page on the demo data and sees the charts drawn."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_agent_sign_in import sign_in, sign_in_any_language
from tickets.scenarios import scenario_reports

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ARTIFACTS = Path("var/artifacts/e2e/agent-reports")


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())


def test_a_supervisor_sees_the_charts_render(live_server, page, demo):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # given the demo supervisor, signed in
    sign_in(page, live_server, username="supervisor", password="supervisor-demo")
    # when they open the reports
    page.goto(f"{live_server.url}/agent/reports/")
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    # then each chart is drawn, with lines or bars in it
    charts = page.locator("svg.chart")
    # the five built-in reports and each scenario's
    expect(charts).to_have_count(5 + len(scenario_reports()))
    for index in range(5):
        expect(charts.nth(index)).to_be_visible()
        box = charts.nth(index).bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
    # the line charts: one line per case kind (five, with returns), shipments' two, and wrong
    # items' weekly rate
    assert page.locator("svg.chart-line polyline").count() == 5 + 2 + 1
    assert page.locator("svg.chart-bars rect.bar").count() > 10
    expect(page.get_by_role("img", name="Case volume")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "reports.png", full_page=True)
    # and the CSV behind a chart downloads
    with page.expect_download() as download:
        page.locator("#report-volume a.csv").click()
    assert download.value.suggested_filename.startswith("volume-")
    # and a shorter range redraws the page
    page.get_by_label("First day", exact=True).fill("2020-01-01")
    page.get_by_label("Last day", exact=True).fill("2020-01-31")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No cases in this range").first).to_be_visible()
    page.screenshot(path=ARTIFACTS / "reports-empty.png", full_page=True)


def test_the_reports_in_german(live_server, browser, demo):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in_any_language(page, live_server, username="supervisor", password="supervisor-demo")
    page.goto(f"{live_server.url}/agent/reports/")
    expect(page.locator("svg.chart")).to_have_count(5 + len(scenario_reports()))
    page.screenshot(path=ARTIFACTS / "reports-de.png", full_page=True)
    context.close()
