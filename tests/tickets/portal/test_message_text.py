"""What a customer or agent writes is shown as text everywhere: the portal, the dashboard and
the emails. HTML, script, javascript: links and Markdown tricks are never markup."""

import pytest
from django.urls import reverse

from tests.tickets.factories import CaseFactory, supervisor
from tests.tickets.portal.conftest import sign_in
from tickets.models import Case, Message, Notification
from tickets.services.messages import message_add

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert("x")</script> <img src=x onerror=alert(1)> '
    '<a href="javascript:alert(2)">click</a> [pay here](javascript:alert(3)) '
    "![pixel](https://evil.example/p.png)"
)


def _assert_inert(html):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html
    assert "href='javascript:" not in html
    assert 'src="https://evil.example' not in html
    assert "&lt;script&gt;" in html


@pytest.fixture
def hostile_case():
    case = CaseFactory(kind=Case.Kind.GENERAL, language="en")
    message_add(case=case, body=HOSTILE, author_kind=Message.Author.CUSTOMER, actor=None)
    return case


def test_an_agents_reply_is_plain_text_in_the_email(hostile_case):
    # When an agent's reply quotes the hostile text
    message_add(
        case=hostile_case, body=HOSTILE, author_kind=Message.Author.AGENT, actor=supervisor()
    )

    # Then the email's HTML shows it as text, and its text part has it verbatim
    email = Notification.objects.get(
        case=hostile_case, template="agent_reply", channel=Notification.Channel.EMAIL
    )
    _assert_inert(email.body_html)
    assert HOSTILE in email.body


def test_the_dev_outbox_shows_the_email_as_text(client, hostile_case, settings):
    # Given the agent's reply with the hostile text went out, in the embedded mode
    settings.DEBUG = True
    message_add(
        case=hostile_case, body=HOSTILE, author_kind=Message.Author.AGENT, actor=supervisor()
    )
    client.force_login(supervisor(username="boss"))

    # When a supervisor opens the dev outbox
    page = client.get(reverse("tickets:agent-outbox")).content.decode()

    # Then the email's preview (a sandboxed srcdoc frame) escapes it once more
    assert "<script>alert" not in page
    assert "&amp;lt;script&amp;gt;" in page


def test_the_portal_case_page_shows_the_message_as_text(client, hostile_case):
    # Given the customer signed in to the portal
    sign_in(client, hostile_case.customer)

    # When she opens her case
    page = client.get(reverse("tickets:portal-case", args=[hostile_case.number]))

    # Then her words are there, as text
    assert page.status_code == 200
    _assert_inert(page.content.decode())


@pytest.mark.parametrize("where", ["message list", "case page"])
def test_the_admin_shows_the_message_as_text(client, hostile_case, where):
    # Given a supervisor in the admin
    client.force_login(supervisor(username="boss", is_staff=True))

    # When the messages are listed, or the case with its messages is opened
    if where == "message list":
        page = client.get(reverse("admin:tickets_message_changelist"))
    else:
        page = client.get(reverse("admin:tickets_case_change", args=[hostile_case.pk]))

    # Then the text is escaped there too
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
