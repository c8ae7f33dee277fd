"""The case workspace page: who may open it, what it shows, and what it costs."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.tickets.agent.workspace_urls import workspace_url
from tests.tickets.factories import (
    CaseFactory,
    NotificationFactory,
    OrderLineFactory,
    UserFactory,
    agent,
    customer_messages,
)
from tickets.agent.workspace_timeline import ago, timeline_html
from tickets.models import CaseEvent, Message, Notification
from tickets.scenarios import Scenario, WorkspacePanel, scenario_override
from tickets.selectors import workspace as reads
from tickets.selectors.access import case_visible_to
from tickets.selectors.workspace import TIMELINE_LIMIT
from tickets.services import timeline
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_case(agent_user):
    """An open case of Alice's, with an order (EUR) and a customer in Berlin."""
    return CaseFactory(assignee=agent_user, status="open")


def test_signed_out_goes_to_the_login_page(client, open_case):
    response = client.get(workspace_url(open_case))
    assert response.status_code == 302
    assert "/agent/login/" in response["Location"]


def test_an_account_without_case_access_is_refused(client, open_case):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(workspace_url(open_case)).status_code == 403


def test_a_case_the_agent_does_not_see_is_a_404(agent_client, settings):
    # given cases are visible to their assignee only, and this one is Bob's
    settings.CASE_VISIBILITY = "own"
    hidden = CaseFactory(assignee=agent(username="bob"))
    # then Alice cannot tell it exists
    assert agent_client.get(workspace_url(hidden)).status_code == 404


def test_an_unknown_number_is_a_404(agent_client):
    assert agent_client.get("/agent/cases/AS-NOPE-NOPE/").status_code == 404


def test_a_supervisor_opens_anyones_case(client, supervisor_user, settings):
    settings.CASE_VISIBILITY = "own"
    case = CaseFactory(assignee=agent(username="bob"))
    client.force_login(supervisor_user)
    response = client.get(workspace_url(case))
    assert response.status_code == 200
    assert case.number in response.content.decode()


def test_the_page_shows_the_case_customer_and_order(agent_client, open_case):
    # given the order has two items and the customer another case
    OrderLineFactory(order=open_case.order, title="Kettle 1.7 l", quantity=2)
    OrderLineFactory(order=open_case.order, title="Descaler")
    other = CaseFactory(customer=open_case.customer, subject="Lid broken", assignee=None)
    # when Alice opens the case
    page = agent_client.get(workspace_url(open_case)).content.decode()
    # then she sees its header, the customer's details, their other case, and the order
    assert f'<span class="tag kind kind-{open_case.kind}">' in page
    assert open_case.subject in page
    assert open_case.customer.email in page
    assert "Germany" in page
    assert "Europe/Berlin" in page
    assert other.number in page
    assert "1 other case" in page
    assert "Kettle 1.7 l" in page and "Descaler" in page
    assert "54,90\xa0€" in page or "€54.90" in page
    # and the composer says what sending will do
    assert f"Send to {open_case.customer.email} by email" in page


def test_the_customer_s_other_cases_are_the_newest_five_counted_in_one_query(
    agent_user, open_case, monkeypatch, django_assert_num_queries
):
    # given seven other cases of the customer, a day apart, and a cap of ten on the count
    monkeypatch.setattr(reads, "PAST_CASES_COUNT_CAP", 10)
    start = timezone.now() - timedelta(days=30)
    others = [
        CaseFactory(customer=open_case.customer, created_at=start + timedelta(days=day))
        for day in range(7)
    ]
    # then one query gives the newest five, newest first, and all seven counted exactly (the
    # user's groups, which say which cases they see, are read once per request: before it)
    case_visible_to(agent_user)
    with django_assert_num_queries(1):
        shown, count = reads.customer_past_cases(case=open_case, user=agent_user)
    assert [case.pk for case in shown] == [case.pk for case in reversed(others[2:])]
    assert (count, count.exact) == (7, True)
    # and beyond the cap the count stops there, not exact ("10 other cases+")
    for day in range(4):
        CaseFactory(customer=open_case.customer, created_at=start - timedelta(days=day + 1))
    shown, count = reads.customer_past_cases(case=open_case, user=agent_user)
    assert len(shown) == 5
    assert (count, count.exact) == (10, False)


def test_the_send_button_names_sms_when_the_customer_gets_texts(agent_client, open_case):
    customer = open_case.customer
    customer.sms_consent = True
    customer.save()
    page = agent_client.get(workspace_url(open_case)).content.decode()
    assert f"Send to {customer.email} by email and SMS" in page


def test_the_timeline_shows_messages_notes_events_and_deliveries(
    agent_client, agent_user, open_case, media_root
):
    # given a customer message with a photo, an agent's note and reply, and an assignment
    photo = SimpleUploadedFile("kettle.png", b"png", content_type="image/png")
    message_add(
        case=open_case,
        body="It does not heat.",
        author_kind="customer",
        actor=None,
        attachments=[photo, SimpleUploadedFile("bill.pdf", b"%PDF", "application/pdf")],
    )
    message_add(
        case=open_case,
        body="Checked the serial.",
        author_kind="agent",
        actor=agent_user,
        visibility=Message.Visibility.INTERNAL,
    )
    timeline.assigned_event(case=open_case, actor=agent_user, previous_id=None)
    failed = NotificationFactory(case=open_case, last_error="550 mailbox unavailable")
    Notification.objects.filter(pk=failed.pk).update(status=Notification.Status.FAILED)
    NotificationFactory(
        case=open_case, sms=True, next_attempt_at=timezone.now() + timedelta(hours=5)
    )
    # when Alice opens the case
    page = agent_client.get(workspace_url(open_case)).content.decode()
    # then each entry is there, the note marked as one
    assert "It does not heat." in page
    assert 'class="ws-message ws-message-internal' in page
    assert "Checked the serial." in page
    assert 'loading="lazy"' in page and "bill.pdf" in page
    assert f"Assigned to {agent_user.username}" in page
    assert "failed" in page and "550 mailbox unavailable" in page
    assert "waiting for quiet hours to end" in page
    assert '<span class="tag">Internal note</span>' in page
    assert "goes at " in page


def test_authors_and_actors_outside_the_staff_are_named(agent_client, open_case):
    # given a message and an event by someone who no longer works cases
    former = UserFactory(username="former", first_name="Fiona", last_name="Former")
    Message.objects.create(case=open_case, author_kind="agent", author_user=former, body="Hi")
    CaseEvent.objects.create(
        case=open_case, verb="priority_changed", actor=former, data={"priority": "high"}
    )
    page = agent_client.get(workspace_url(open_case)).content.decode()
    assert page.count("Fiona Former") == 2


def test_an_empty_timeline_says_so():
    assert "Nothing has happened on this case yet." in timeline_html([])


def test_the_timeline_escapes_what_people_wrote_and_keeps_their_lines(
    agent_client, agent_user, open_case
):
    message_add(
        case=open_case,
        body="Hello <b>team</b>\nsecond line",
        author_kind="customer",
        actor=None,
    )
    failed = NotificationFactory(case=open_case, last_error="<550> " + "x" * 400)
    Notification.objects.filter(pk=failed.pk).update(status=Notification.Status.FAILED)
    page = agent_client.get(workspace_url(open_case)).content.decode()
    assert "Hello &lt;b&gt;team&lt;/b&gt;<br>second line" in page
    assert "<b>team</b>" not in page
    # a long delivery error is cut to 160 characters
    assert '<span class="ws-error">&lt;550&gt; ' + "x" * 153 + "…</span>" in page


def _fill(case, count, actor):
    """`count` entries on the timeline of `case`: messages, notes, events, notifications."""
    for index in range(count):
        match index % 4:
            case 0:
                Message.objects.create(case=case, author_kind="customer", body=f"m{index}")
            case 1:
                Message.objects.create(
                    case=case,
                    author_kind="agent",
                    author_user=actor,
                    body=f"n{index}",
                    visibility="internal",
                )
            case 2:
                CaseEvent.objects.create(
                    case=case,
                    verb="assigned",
                    actor=actor,
                    data={"assignee": actor.pk, "previous": None},
                )
            case 3:
                NotificationFactory(case=case)


# Session, user with their two-factor device, permissions, the case, messages with their
# attachments, events, notifications, past cases, order lines; then the macro menu and the
# compensations; and the defect kind's return panel looking up the case's return request (none
# here). The agents and teams of the controls come from the cache once a page read them
# (selectors/staff.py); the queue pane is a request of its own (test_queue_pane.py).
WORKSPACE_QUERIES = 13


def _queries(client, case, django_assert_max_num_queries):
    client.get(workspace_url(case))  # warm-up: the staff and permissions kept
    with django_assert_max_num_queries(WORKSPACE_QUERIES) as captured:
        response = client.get(workspace_url(case))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_timeline(
    agent_client, agent_user, django_assert_max_num_queries
):
    # given two cases of Alice's, one with 1 timeline entry and one with 200 and more
    short, long = (
        CaseFactory(assignee=agent_user, status="open"),
        CaseFactory(assignee=agent_user, status="open"),
    )
    _fill(short, 1, agent_user)
    _fill(long, TIMELINE_LIMIT + 40, agent_user)
    for case in (short, long):
        OrderLineFactory(order=case.order)
    # then both pages cost the same number of queries
    assert _queries(agent_client, short, django_assert_max_num_queries) == _queries(
        agent_client, long, django_assert_max_num_queries
    )


def test_a_long_timeline_shows_the_newest_entries_and_pages_back(agent_client, open_case):
    # given more messages than the page shows, a second apart
    customer_messages(
        open_case,
        TIMELINE_LIMIT + 5,
        start=timezone.now() - timedelta(days=1),
        every=timedelta(seconds=1),
        body="message {:03d}.",
    )
    # when Alice opens the case
    response = agent_client.get(workspace_url(open_case))
    page = response.content.decode()
    # then she sees the newest, not the oldest, and a way back
    assert f"message {TIMELINE_LIMIT + 4:03d}." in page
    assert "message 004." not in page
    assert "Show earlier" in page
    earlier = response.context["earlier_url"]
    # and the earlier page holds the rest
    older = agent_client.get(earlier).content.decode()
    assert "message 004." in older and "message 000." in older
    assert f"message {TIMELINE_LIMIT + 4:03d}." not in older


def test_show_earlier_fetches_the_timeline_alone(
    agent_client, open_case, django_assert_num_queries
):
    # given more messages than the page shows, a second apart, and Alice came from a list
    customer_messages(
        open_case,
        2 * TIMELINE_LIMIT + 5,
        start=timezone.now() - timedelta(days=1),
        every=timedelta(seconds=1),
        body="message {:03d}.",
    )
    earlier = agent_client.get(workspace_url(open_case, status="open")).context["earlier_url"]
    # when "Show earlier" fetches the timeline alone (workspace.js)
    agent_client.get(f"{earlier}&part=timeline")  # warm-up: the staff kept
    # (the session, the case, then the timeline's messages with their attachments, events and
    # notifications: the user and their permissions are kept)
    with django_assert_num_queries(6):
        response = agent_client.get(f"{earlier}&part=timeline")
    part = response.content.decode()
    # then it holds the older entries and nothing else of the page
    assert response.status_code == 200
    assert part.lstrip().startswith('<ol class="ws-timeline" id="timeline">')
    assert f"message {TIMELINE_LIMIT + 4:03d}." in part
    assert f"message {2 * TIMELINE_LIMIT + 4:03d}." not in part
    assert 'id="composer"' not in part and 'id="controls"' not in part
    # and its own "Show earlier" opens a whole page, the list's filters kept
    older = response.context["earlier_url"]
    assert "part=" not in older and "status=open" in older
    assert "message 004." in agent_client.get(older).content.decode()


def test_a_case_the_agent_does_not_see_has_no_timeline_either(agent_client, settings):
    settings.CASE_VISIBILITY = "own"
    other = CaseFactory(assignee=agent(username="bob"))
    assert agent_client.get(workspace_url(other, part="timeline")).status_code == 404


@pytest.mark.parametrize("before", ["yesterday", "2026-13-45T99:00:00", ""])
def test_a_bad_before_is_ignored(agent_client, open_case, before):
    assert agent_client.get(workspace_url(open_case, before=before)).status_code == 200


def test_the_list_query_string_is_kept_in_links_and_forms(agent_client, open_case):
    page = agent_client.get(workspace_url(open_case, status="open", kind="defect")).content
    assert b"reply/?status=open&amp;kind=defect" in page
    assert b"update/?status=open&amp;kind=defect" in page


def test_the_controls_offer_only_the_moves_the_state_machine_allows(agent_client, agent_user):
    case = CaseFactory(assignee=agent_user, status="waiting_on_customer")
    form = agent_client.get(workspace_url(case)).context["controls_form"]
    offered = {value for value, _ in form.fields["status"].choices if value}
    assert offered == {"waiting_on_customer", "open"}


def test_an_agent_group_member_can_be_picked_as_assignee(agent_client, open_case):
    bob = agent(username="bob")
    form = agent_client.get(workspace_url(open_case)).context["controls_form"]
    assert str(bob.pk) in {value for value, _ in form.fields["assignee"].choices}
    assert Group.objects.filter(name="Agents").exists()


def test_the_scenario_panel_of_the_case_kind_is_rendered_in_its_slot(agent_client, open_case):
    seen = []

    def context(case):
        seen.append(case.pk)
        return {"ignored": True}

    # given the kind's scenario has a panel (any template will do for the slot)
    panel = WorkspacePanel(template="tickets/agent/_shortcut_help.html", context=context)
    with scenario_override(Scenario(kind=open_case.kind, label="x", panel=panel)):
        page = agent_client.get(workspace_url(open_case)).content.decode()
    # then it is asked for this case, and shown in the context pane
    assert seen == [open_case.pk]
    assert '<section class="ws-panel">' in page


@pytest.mark.parametrize(
    ("before", "text"),
    [
        (timedelta(seconds=59), "just now"),
        (timedelta(minutes=5), "5\xa0minutes ago"),
        (timedelta(hours=1, minutes=59), "1\xa0hour ago"),
        (timedelta(days=2, hours=23), "2\xa0days ago"),
        (timedelta(days=15), "2\xa0weeks ago"),
        (timedelta(days=61), "2\xa0months ago"),
        (timedelta(days=400), "1\xa0year ago"),
    ],
)
def test_timeline_ages_in_one_unit(before, text):
    now = datetime(2026, 7, 15, 10, 0, tzinfo=UTC)
    assert ago(now - before, now) == text
