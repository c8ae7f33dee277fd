"""The notification templates: plain text stays plain, HTML is escaped, layout is tidy."""

import re

import pytest

from tests.tickets.factories import CustomerFactory
from tests.tickets.notifications.support import CASE_NUMBER, a_case, case_portal_url
from tickets.models import Case, Message, Notification
from tickets.services.notifications import notify

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "de", "fr", "es", "zh-hans"]
EVENTS = [
    ("case_received", Case.Status.NEW),
    ("agent_reply", Case.Status.OPEN),
    ("case_status_changed", Case.Status.WAITING_ON_RETURN),
    ("case_resolved", Case.Status.RESOLVED),
]
TRICKY = "Tom & Jerry's <Kettle>"


def _notify(event, status, language="en"):
    customer = CustomerFactory(name=TRICKY, language=language, sms_consent=True)
    case = a_case(customer, status=status, language=language, subject=TRICKY)
    message = Message.objects.create(case=case, body=TRICKY, author_kind="agent")
    notify(customer=customer, event=event, key=case.number, case=case, context={"message": message})
    return {row.channel: row for row in case.notifications.all()}


@pytest.mark.parametrize(("event", "status"), EVENTS)
def test_customer_text_is_not_escaped_in_plain_text_but_is_in_html(event, status):
    # given a customer and case whose texts hold &, ' and < >
    # when they are notified
    rows = _notify(event, status)
    email, sms = rows[Notification.Channel.EMAIL], rows[Notification.Channel.SMS]
    # then the plain-text parts show them as written, and the HTML escapes them
    for text in (email.subject, email.body, sms.body):
        assert "&amp;" not in text and "&#x27;" not in text and "&lt;" not in text
    assert TRICKY in email.body
    assert "Tom &amp; Jerry&#x27;s &lt;Kettle&gt;" in email.body_html
    assert "<Kettle>" not in email.body_html


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("event", "status"), EVENTS)
def test_every_email_has_the_case_number_the_portal_and_a_tidy_layout(event, status, language):
    # when a customer is notified in `language`
    email = _notify(event, status, language)[Notification.Channel.EMAIL]
    # then the email names the case, links to the case in the portal (with its order number,
    # which pre-fills the access form), and has no stray blank lines
    for part in (email.subject, email.body, email.body_html):
        assert CASE_NUMBER in part
    portal_url = case_portal_url(email.case)
    assert portal_url in email.body
    assert f'href="{portal_url}"' in email.body_html
    assert not re.search(r"\n[ \t]*\n[ \t]*\n", email.body), email.body
    assert email.body.endswith("\n") and not email.body.startswith(("\n", " "))
    assert f'<html lang="{language}">' in email.body_html
