"""Our pages work under the Content-Security-Policy: no violation reaches the console of
Debian's Chromium on the agent login, the dashboard, the portal, the API docs, the admin and the
new sign-in pages (code, enrolment, lockout), which are screenshotted on the way.

Screenshots go to the test's tmp folder, or to $SCREENSHOT_DIR when set (to look at them)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.tickets.factories import (
    CaseFactory,
    NotificationFactory,
    agent,
    supervisor,
    totp_code,
    totp_device,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Collected in the page itself: every violation fires this event, whatever the console says.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def watched(page):
    """The page, recording CSP violations and console errors."""
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if message.type == "error" else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = console
    return page


def assert_clean(page):
    violations = page.evaluate("window.__csp || []")
    assert violations == [], violations
    blocked = [text for text in page.console_errors if "Content Security Policy" in text]
    assert blocked == [], blocked


def sign_in(page, live_server, username, password="pw", next_url=""):  # noqa: S107
    page.goto(f"{live_server.url}/agent/login/{next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_the_agent_login_dashboard_and_portal_have_no_violation(live_server, watched, shots):
    agent(username="alice")
    response = watched.goto(f"{live_server.url}/agent/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert_clean(watched)
    sign_in(watched, live_server, "alice")
    expect(watched.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert_clean(watched)
    watched.goto(f"{live_server.url}/portal/")
    # the language menu works from our script file, no inline handler
    watched.get_by_label("Language").select_option(label="Deutsch")
    expect(watched.locator("html")).to_have_attribute("lang", "de")
    assert_clean(watched)


def test_the_api_docs_render_under_the_policy(live_server, watched, shots):
    watched.goto(f"{live_server.url}/api/docs/")
    # Swagger UI drew the operations from the schema
    expect(watched.get_by_text("List cases").first).to_be_visible()
    expect(watched.locator(".swagger-ui .info .title")).to_contain_text("Aftersales API")
    watched.screenshot(path=shots / "api-docs.png")
    assert_clean(watched)


def test_the_admin_and_the_dev_outbox_have_no_violation(live_server, watched, settings, shots):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    supervisor(username="sam", is_staff=True)
    case = CaseFactory()
    NotificationFactory(
        case=case, customer=case.customer, body_html='<p style="color:#b00">Hallo</p>'
    )
    sign_in(watched, live_server, "sam", next_url="?next=/admin/tickets/case/")
    expect(watched.get_by_role("heading", name="Select case to change")).to_be_visible()
    assert_clean(watched)
    # an admin action shows its small form for the selected cases
    watched.locator("input[name=_selected_action]").first.check()
    watched.locator("select[name=action]").select_option("transition")
    watched.locator("button[name=index]").first.click()
    expect(watched.get_by_role("heading", name="Move cases to another status")).to_be_visible()
    watched.screenshot(path=shots / "admin-action-form.png", full_page=True)
    assert_clean(watched)
    watched.goto(f"{live_server.url}/admin/tickets/case/{case.pk}/change/")
    assert_clean(watched)
    watched.goto(f"{live_server.url}/agent/outbox/")
    frame = watched.frame_locator("iframe.outbox-html")
    expect(frame.get_by_text("Hallo")).to_be_visible()
    # the email's own inline styles apply in its preview (this page alone allows them)
    assert frame.locator("p").evaluate("e => getComputedStyle(e).color") == "rgb(187, 0, 0)"
    watched.screenshot(path=shots / "outbox.png", full_page=True)
    assert_clean(watched)


def test_the_sign_in_code_and_enrolment_pages(live_server, watched, shots):
    # enrolment: the QR code is drawn inline, the key is there for typing
    alice = agent(username="alice")
    sign_in(watched, live_server, "alice")
    watched.goto(f"{live_server.url}/agent/two-factor/")
    expect(watched.locator(".qr-code svg")).to_be_visible()
    watched.get_by_text("Cannot scan? Enter this key instead").click()
    watched.screenshot(path=shots / "two-factor-enrol.png", full_page=True)
    assert_clean(watched)
    device = alice.totpdevice_set.get()
    watched.get_by_label("3. Enter the 6-digit code").fill(totp_code(device))
    watched.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(watched.get_by_text("Two-factor sign-in is on.")).to_be_visible()
    watched.screenshot(path=shots / "two-factor-on.png", full_page=True)
    assert_clean(watched)

    # the next sign-in asks for the code
    watched.get_by_role("button", name="Sign out").click()
    sam = supervisor(username="sam")
    phone = totp_device(sam)
    sign_in(watched, live_server, "sam")
    expect(watched.get_by_role("heading", name="Sign-in code")).to_be_visible()
    watched.get_by_label("Code").fill("000000" if totp_code(phone) != "000000" else "111111")
    watched.get_by_role("button", name="Sign in").click()
    expect(watched.get_by_role("alert")).to_contain_text("That code is not right.")
    watched.screenshot(path=shots / "sign-in-code.png", full_page=True)
    assert_clean(watched)


def test_the_lockout_page(live_server, watched, settings, shots):
    agent(username="alice")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        sign_in(watched, live_server, "alice", password="guess")
    expect(watched.get_by_role("heading", name="Sign-in blocked for now")).to_be_visible()
    expect(watched.get_by_role("alert")).to_contain_text("Try again in 15 minutes.")
    watched.screenshot(path=shots / "lockout.png", full_page=True)
    assert_clean(watched)


def test_a_german_lockout_and_code_page_fit_a_phone(live_server, browser, settings, shots):
    context = browser.new_context(locale="de-DE", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    sam = supervisor(username="sam")
    totp_device(sam)
    page.goto(f"{live_server.url}/agent/login/")
    page.locator("input[name=username]").fill("sam")
    page.locator("input[name=password]").fill("pw")
    page.locator("button[type=submit]").click()
    page.wait_for_url("**/agent/login/code/**")
    page.screenshot(path=shots / "sign-in-code-de-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_clean(page)
    context.close()
