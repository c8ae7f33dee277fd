"""Macros, presence and merging in the browser; screenshots in var/artifacts/e2e/collab/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.tickets.agent.conftest import make_macro, tag
from tests.tickets.factories import CaseFactory, CustomerFactory, agent, supervisor
from tickets.models import Case, Notification
from tickets.services import queue

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "collab"


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/agent/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/agent/")


def test_a_supervisor_writes_a_macro_in_two_languages(live_server, page):
    supervisor(username="sam")
    make_macro("Order number please", bodies={"en": "Hi", "de": "Hallo", "fr": "Salut"})
    sign_in(page, live_server, "sam")
    page.goto(f"{live_server.url}/agent/macros/")
    shot(page, "macro-list")
    page.get_by_role("link", name="New macro").click()
    page.get_by_label("Name").fill("Ask for a photo")
    page.get_by_label("Set status").select_option("waiting_on_customer")
    page.get_by_label("English").fill("Hello {customer_name}, a photo of {order_number} please.")
    page.get_by_label("German").fill("Hallo {customer_name}, bitte ein Foto von {order_number}.")
    shot(page, "macro-new")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    shot(page, "macro-edit")


@pytest.fixture
def no_worker(monkeypatch):
    """Deliveries stay queued: nothing picks them up while the test looks."""
    monkeypatch.setattr(queue, "enqueue", lambda *args, **kwargs: True)


def test_an_agent_inserts_a_macro_and_sees_a_colleague(live_server, page, browser, no_worker):
    customer = CustomerFactory(name="Maria Rossi", language="de")
    case = CaseFactory(customer=customer, language="de", status=Case.Status.OPEN)
    make_macro(
        "Ask for a photo",
        bodies={"en": "Hello {customer_name}", "de": "Hallo {customer_name}, Fall {case_number}."},
        set_status=Case.Status.WAITING_ON_CUSTOMER,
        add_tag=tag("photo-asked"),
    )
    agent(username="ana", first_name="Ana")
    agent(username="ben", first_name="Ben")
    # given Ben has the case open
    other = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    ben = other.new_page()
    sign_in(ben, live_server, "ben")
    ben.goto(f"{live_server.url}/agent/cases/{case.number}/")
    # when Ana opens it, she sees Ben there
    sign_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/agent/cases/{case.number}/")
    expect(page.locator(".presence-bar")).to_contain_text("Ben is viewing")
    # and when she inserts a macro, the text is German with the placeholders filled
    page.locator("#composer-body").fill("Hi! ")
    page.locator("#composer-body").press("End")
    page.get_by_label("Macro").select_option(label="Ask for a photo")
    page.get_by_role("button", name="Insert").click()
    expect(page.locator("#composer-body")).to_have_value(
        f"Hi! Hallo Maria Rossi, Fall {case.number}."
    )
    expect(page.locator(".macro-actions")).to_contain_text("Sets status to Waiting on customer")
    assert page.locator("input[name=macro]").input_value() != ""
    # and Ben sees her replying at his next report (every 10 s)
    expect(ben.locator(".presence-bar")).to_contain_text("Ana is replying", timeout=15_000)
    shot(page, "workspace-macro-presence")
    shot(ben, "workspace-colleague-replying")
    other.close()
    # when she sends it, the customer's email shows queued on the timeline and the macro's
    # actions are done
    page.get_by_role("button", name=f"Send to {customer.email} by email").click()
    expect(page.get_by_role("status").first).to_be_visible()
    expect(page.locator(".ws-timeline")).to_contain_text(f"Hallo Maria Rossi, Fall {case.number}.")
    expect(page.locator(".ws-timeline")).to_contain_text("queued")
    case.refresh_from_db()
    assert case.status == Case.Status.WAITING_ON_CUSTOMER
    assert list(case.tags.values_list("name", flat=True)) == ["photo-asked"]
    assert Notification.objects.filter(case=case, template="agent_reply").exists()
    shot(page, "workspace-macro-sent")


def test_an_agent_merges_a_duplicate(live_server, page):
    agent(username="ana")
    customer = CustomerFactory(sms_consent=True)
    duplicate = CaseFactory(customer=customer, status=Case.Status.OPEN, subject="Kettle again")
    kept = CaseFactory(customer=customer, status=Case.Status.OPEN, subject="Kettle leaks")
    sign_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/agent/cases/{duplicate.number}/merge/")
    shot(page, "merge-find")
    page.get_by_role("link", name=kept.number).click()
    expect(page.get_by_role("button", name=f"Merge {duplicate.number} into {kept.number}"))
    shot(page, "merge-confirm")
    page.get_by_role("button", name=f"Merge {duplicate.number} into {kept.number}").click()
    expect(page.get_by_role("status")).to_contain_text("was merged into")
    assert Notification.objects.filter(template="case_merged", case=kept).exists()
    page.goto(f"{live_server.url}/agent/cases/{duplicate.number}/")
    expect(page.locator(".merged-into")).to_contain_text(f"Merged into {kept.number}")
    shot(page, "merged-source")
