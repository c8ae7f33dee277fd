"""A customer rates a resolution on a phone: the link opens a confirm page, the button rates,
and a link past its 30 days says so."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.tickets.factories import CaseFactory
from tickets.models import Case
from tickets.services.cases import case_transition

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="en-US", viewport=PHONE)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def resolved(live_server, settings, agent_user):
    """A case in English an agent resolved, and {score: URL} of its email's rating links."""
    settings.SITE_URL = live_server.url
    case = CaseFactory(status=Case.Status.OPEN, language="en")
    case = case_transition(case=case, to=Case.Status.RESOLVED, actor=agent_user)
    email = case.notifications.get(template="case_resolved", channel="email")
    urls = re.findall(re.escape(live_server.url) + r"/portal/rate/[^/\s]+/[1-5]/", email.body)
    return case, {int(url.rstrip("/").rsplit("/", 1)[1]): url for url in urls}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_link_asks_and_the_button_rates(phone, resolved, tmp_path):
    case, links = resolved
    # Given the customer taps 4 in the email
    phone.goto(links[4])
    # Then a confirm page asks, with 4 chosen, and nothing is stored yet
    expect(phone.get_by_role("heading", level=1)).to_have_text("How did we do?")
    expect(phone.get_by_role("radio", name="4 Very good")).to_be_checked()
    assert _fits_the_screen(phone)
    phone.screenshot(path=tmp_path / "rate-confirm.png", full_page=True)
    case.refresh_from_db()
    assert case.satisfaction is None

    # When she changes her mind to 5 and sends
    phone.get_by_role("radio", name="5 Excellent").check()
    phone.get_by_role("button", name="Send my rating").click()

    # Then she is thanked and the rating is stored
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thank you for your rating!")
    phone.screenshot(path=tmp_path / "rate-thanks.png", full_page=True)
    case.refresh_from_db()
    assert case.satisfaction == 5


def test_an_expired_link_says_so(phone, resolved, tmp_path, time_machine):
    _case, links = resolved
    # Given a link opened 31 days after the resolution
    time_machine.move_to(timezone.now() + timedelta(days=31))
    response = phone.goto(links[3])
    # Then a page says it has expired, with a 410
    assert response.status == 410
    expect(phone.get_by_role("heading", level=1)).to_have_text("This rating link has expired")
    assert _fits_the_screen(phone)
    phone.screenshot(path=tmp_path / "rate-expired.png", full_page=True)
