"""An agent signs in through the form, sees the dashboard and signs out again."""

import pytest
from playwright.sync_api import expect

from tests.tickets.factories import agent

# Serialized rollback restores the Agents group (a data migration) after each flush.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(page, live_server, *, username, password):
    page.goto(f"{live_server.url}/agent/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_any_language(page, live_server, *, username, password):
    """sign_in by the form's field names, for a browser that reads the page in its own language."""
    page.goto(f"{live_server.url}/agent/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()


def test_an_agent_signs_in_and_lands_on_the_dashboard(live_server, page, tmp_path):
    # Given an agent
    agent(username="alice")

    # When she signs in through the form
    sign_in(page, live_server, username="alice", password="pw")

    # Then the dashboard shows the open cases by kind and status
    expect(page).to_have_url(f"{live_server.url}/agent/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Open cases by kind and status")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Wrong item")).to_be_visible()
    expect(page.get_by_text("Counted at")).to_be_visible()
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 0


def test_signing_out_returns_to_the_login_page(live_server, page):
    # Given a signed-in agent on the dashboard
    agent(username="alice")
    sign_in(page, live_server, username="alice", password="pw")
    expect(page.get_by_role("heading", name="Open cases by kind and status")).to_be_visible()

    # When she presses the sign-out button
    page.get_by_role("button", name="Sign out").click()

    # Then she is back on the login page
    expect(page).to_have_url(f"{live_server.url}/agent/login/")
    expect(page.get_by_role("heading", name="Agent sign-in")).to_be_visible()


def test_a_wrong_password_shows_the_error_message(live_server, page):
    # Given an agent
    agent(username="alice")

    # When she signs in with the wrong password
    sign_in(page, live_server, username="alice", password="not-her-password")

    # Then the login page stays and says why
    expect(page).to_have_url(f"{live_server.url}/agent/login/")
    expect(page.get_by_role("alert")).to_have_text(
        "Your username and password did not match. Please try again."
    )
