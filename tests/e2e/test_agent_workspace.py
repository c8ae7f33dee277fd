"""An agent works a case in the workspace, in Debian's Chromium at 1280 x 800 and 1024 x 768:
open it, reply (the email shows as queued on the timeline), add an internal note from the
keyboard, and open the shortcut help. Screenshots land in var/artifacts/e2e/agent-workspace/."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import cut_cells
from tests.e2e.test_agent_sign_in import sign_in
from tests.tickets.factories import CaseFactory, OrderLineFactory, agent, customer_messages
from tickets.models import Case, Message, Notification
from tickets.selectors.workspace import TIMELINE_LIMIT
from tickets.services import queue, timeline
from tickets.services.messages import message_add

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e" / "agent-workspace"


def _shot(page, name):
    # The workspace's left pane arrives after the page: shoot it with its list.
    if page.locator(".ws-queue").count():
        expect(page.locator(".ws-queue table")).to_be_attached()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path)
    assert path.stat().st_size > 0


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 60, 40)).save(buffer, "PNG")
    return SimpleUploadedFile("kettle.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def worked_case(settings, tmp_path):
    """Alice's open case: a customer in Berlin, an order of two items, a message with a photo."""
    settings.MEDIA_ROOT = tmp_path / "media"
    alice = agent(username="alice", first_name="Alice", last_name="Meyer")
    case = CaseFactory(
        assignee=alice,
        status="open",
        subject="Kettle does not heat after two weeks",
        customer__name="Maria Schmidt",
        customer__email="maria@example.com",
    )
    OrderLineFactory(order=case.order, title="Kettle 1.7 l, steel", quantity=1)
    OrderLineFactory(order=case.order, title="Descaler", quantity=2)
    message_add(
        case=case,
        body="Hello, my kettle stopped heating. Photo attached.",
        author_kind="customer",
        actor=None,
        attachments=[_photo()],
    )
    timeline.priority_changed_event(case=case, actor=alice, previous="low")
    return case


@pytest.fixture
def no_worker(monkeypatch):
    """Deliveries stay queued: nothing picks them up while the test looks."""
    monkeypatch.setattr(queue, "enqueue", lambda *args, **kwargs: True)


def test_an_agent_replies_adds_a_note_and_opens_the_help(live_server, page, worked_case, no_worker):
    # Given Alice signed in, and her case last updated 41 minutes ago
    Case.objects.filter(pk=worked_case.pk).update(updated_at=timezone.now() - timedelta(minutes=41))
    sign_in(page, live_server, username="alice", password="pw")
    # When she opens the case
    page.goto(f"{live_server.url}/agent/cases/{worked_case.number}/")
    expect(page.get_by_role("heading", name=worked_case.subject)).to_be_visible()
    expect(page.locator(".ws-attachments img")).to_be_visible()
    # (each time on the timeline shows its exact date and time on hover, set by times.js)
    expect(page.locator("#timeline time").first).to_have_attribute("title", re.compile(r"\d{4}"))
    # and the left pane, fetched after the page, lists her case as the current one
    expect(page.locator(".ws-queue .case-row.is-current")).to_contain_text(worked_case.number)
    # (with its age, "41 min", shown whole in the narrow pane)
    expect(page.locator(".ws-queue .col-updated").first).to_have_text("41 min")
    assert cut_cells(page) == []
    _shot(page, "1280-case")

    # And sends a reply; the button says where it goes
    page.locator("#composer-body").fill("We are sending you a new kettle today.")
    send = page.get_by_role("button", name="Send to maria@example.com by email")
    send.click()
    # Then the reply and its email, queued, are on the timeline
    expect(page.get_by_text("Reply sent to maria@example.com by email.")).to_be_visible()
    # (the shortcuts listen once the deferred scripts ran: wait for the page to finish loading)
    page.wait_for_load_state()
    expect(page.get_by_text("We are sending you a new kettle today.")).to_be_visible()
    expect(page.locator(".ws-notification-queued").last).to_contain_text("maria@example.com")
    assert Notification.objects.filter(case=worked_case, template="agent_reply").exists()
    _shot(page, "1280-replied")

    # When she presses n, types a note and sends it with Ctrl+Enter
    page.locator("body").press("n")
    expect(page.locator("#composer-body")).to_be_focused()
    page.keyboard.type("Customer called, wants it before Friday.")
    page.keyboard.press("Control+Enter")
    # Then it is on the timeline as an internal note
    expect(page.get_by_text("Internal note saved.")).to_be_visible()
    page.wait_for_load_state()
    expect(page.locator(".ws-message-internal").last).to_contain_text("before Friday")
    assert Message.objects.filter(case=worked_case, visibility="internal").count() == 1

    # When she presses ? the shortcuts are listed
    page.locator("body").press("?")
    help_dialog = page.locator("#shortcut-help")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Assign to me")
    _shot(page, "1280-help")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    # At 1024 px the context folds into a drawer behind "Details"
    page.set_viewport_size({"width": 1024, "height": 768})
    expect(page.locator("#ws-context")).to_be_hidden()
    _shot(page, "1024-case")
    page.get_by_role("button", name="Details").click()
    expect(page.locator("#ws-context")).to_be_visible()
    _shot(page, "1024-drawer")


def test_typing_in_the_composer_fires_no_shortcut(live_server, page, worked_case, no_worker):
    sign_in(page, live_server, username="alice", password="pw")
    page.goto(f"{live_server.url}/agent/cases/{worked_case.number}/")
    page.locator("#composer-body").fill("")
    page.locator("#composer-body").type("?ena")
    expect(page.locator("#shortcut-help")).to_be_hidden()
    expect(page.locator("#composer-body")).to_have_value("?ena")


def test_j_k_and_enter_walk_the_list_rows(live_server, page, worked_case, no_worker):
    # Given Alice has three cases
    for subject in ("Lid cracked", "Wrong colour"):
        CaseFactory(assignee=worked_case.assignee, status="open", subject=subject)
    sign_in(page, live_server, username="alice", password="pw")
    page.goto(f"{live_server.url}/agent/cases/?assignee=me")
    page.wait_for_load_state()
    hrefs = page.locator(".case-row[data-href]").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.href)"
    )
    assert len(hrefs) == 3
    # When she presses j, j, k: the first row is the current one
    for key in "jjk":
        page.locator("body").press(key)
    expect(page.locator(".case-row.is-current")).to_have_attribute("data-href", hrefs[0])
    # And Enter opens it, in the workspace whose queue pane keeps the list and marks the case
    page.locator("body").press("Enter")
    expect(page).to_have_url(f"{live_server.url}{hrefs[0]}")
    expect(page.locator(".ws-queue .case-row.is-current")).to_have_count(1)
    # where j moves on to the next case of the list
    page.wait_for_load_state()
    page.locator("body").press("j")
    expect(page.locator(".ws-queue .case-row.is-current")).to_have_attribute("data-href", hrefs[1])


def test_show_earlier_adds_the_older_entries_above_in_place(
    live_server, page, worked_case, no_worker
):
    # Given a case due in two hours with more messages than the timeline shows at once
    Case.objects.filter(pk=worked_case.pk).update(sla_due=timezone.now() + timedelta(hours=2))
    customer_messages(
        worked_case,
        TIMELINE_LIMIT * 2 + 10,
        start=timezone.now() - timedelta(days=2),
        every=timedelta(minutes=1),
        body="Update number {:03d}.",
    )
    sign_in(page, live_server, username="alice", password="pw")
    page.goto(f"{live_server.url}/agent/cases/{worked_case.number}/")
    newest = page.get_by_text("Photo attached.")
    expect(newest).to_be_visible()
    expect(page.get_by_text("Update number 000.")).to_have_count(0)
    # When Alice asks for earlier entries until there are none
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    entries, clicks = page.locator("#timeline > li"), 0
    while page.locator(".ws-earlier a").count() and clicks < 5:
        shown = entries.count()
        page.locator(".ws-earlier a").click()
        expect(entries).not_to_have_count(shown)
        clicks += 1
    # Then all of them are above the newest on the same page, a page of entries at a time
    assert clicks == 2
    expect(page.get_by_text("Update number 000.")).to_be_attached()
    expect(newest).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/agent/cases/{worked_case.number}/")
    assert entries.count() > TIMELINE_LIMIT * 2 + 10
    # each of them fetched as the timeline alone, not the whole page
    assert sum("part=timeline" in url for url in fetched) == clicks
    # and the entries added, like the queue pane's rows, say their exact time on hover
    expect(entries.locator("time").first).to_have_attribute("title", re.compile(r"\d{4}"))
    expect(page.locator(".ws-queue time.sla").first).to_have_attribute(
        "title", re.compile(r"^(Due|Breached, was due) .*\d{4}")
    )
    _shot(page, "timeline-earlier")
