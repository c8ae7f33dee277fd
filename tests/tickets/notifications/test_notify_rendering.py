"""notify() renders in the case's language and the customer's time zone, English as fallback."""

import copy
from datetime import UTC, datetime

import pytest
from django.utils import translation

from tests.tickets.factories import CustomerFactory
from tests.tickets.notifications.support import CASE_NUMBER, a_case
from tickets.models import Notification
from tickets.services.notifications import notify, render

pytestmark = pytest.mark.django_db

EMAIL = Notification.Channel.EMAIL
UNTRANSLATED = "A sentence nobody has translated yet."


def _email(case, event="case_received"):
    rows = notify(customer=case.customer, event=event, key=case.number, case=case)
    return next(row for row in rows if row.channel == EMAIL)


def _english_subject(case):
    return render(
        event="case_received", channel=EMAIL, language="en", tz="UTC", context={"case": case}
    ).subject


@pytest.mark.parametrize("language", ["de", "fr", "es", "zh-hans"])
def test_the_email_is_in_the_language_of_the_case(language):
    # given an English-speaking customer whose case is handled in `language`
    case = a_case(CustomerFactory(language="en"), language=language)
    # when they are told the case was received
    email = _email(case)
    # then subject and body are translated and carry the case number
    assert email.language == language
    assert email.subject != _english_subject(case)
    assert CASE_NUMBER in email.subject
    assert CASE_NUMBER in email.body
    assert "Thank you" not in email.body


@pytest.mark.parametrize(
    ("tz", "local_time"), [("Europe/Berlin", "13:00"), ("Asia/Shanghai", "20:00")]
)
def test_due_times_are_shown_in_the_customers_time_zone(tz, local_time):
    # given a first response due at 12:00 UTC, for a German-speaking customer in `tz`
    # (the same moment reads 13:00 in Berlin and 20:00 in Shanghai)
    customer = CustomerFactory(language="de", timezone=tz)
    case = a_case(customer, first_response_due=datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    # when they are told the case was received
    email = _email(case)
    # then the due time reads in their local time, formatted the German way
    assert f"2. März 2026 {local_time}" in email.body
    assert f"2. März 2026 {local_time}" in email.body_html


def _event_folder(settings, tmp_path, name, templates):
    """templates/notifications/<name>/ in a throw-away folder searched before the real ones."""
    folder = tmp_path / "notifications" / name
    folder.mkdir(parents=True)
    for filename, text in templates.items():
        (folder / filename).write_text(text)
    engines = copy.deepcopy(settings.TEMPLATES)
    engines[0]["DIRS"] = [tmp_path, *engines[0]["DIRS"]]
    settings.TEMPLATES = engines
    return name


UNTRANSLATED_TEXT = f'{{% load i18n %}}{{% translate "{UNTRANSLATED}" %}} {{{{ case.number }}}}\n'


@pytest.fixture
def untranslated_event(settings, tmp_path):
    """An event whose templates use only a string no catalog has."""
    files = dict.fromkeys(("subject.txt", "body.txt", "body.html", "sms.txt"), UNTRANSLATED_TEXT)
    return _event_folder(settings, tmp_path, "untranslated", files)


def test_a_missing_translation_falls_back_to_english_and_is_logged(
    untranslated_event, sms_customer, caplog
):
    # given a German case and an event whose text no catalog translates
    case = a_case(sms_customer, language="de")
    with translation.override("de"):
        assert translation.gettext(UNTRANSLATED) == UNTRANSLATED
    # when the customer is notified
    rows = notify(customer=sms_customer, event=untranslated_event, key="1", case=case)
    # then every channel goes out in English, and each gap is logged
    assert {row.body.strip() for row in rows} == {f"{UNTRANSLATED} {CASE_NUMBER}"}
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "Notification untranslated/email has no de translation; sent in English." in warnings
    assert "Notification untranslated/sms has no de translation; sent in English." in warnings


def test_a_translated_event_logs_no_gap(sms_customer, caplog):
    # given a German case and a fully translated event
    case = a_case(sms_customer, language="de")
    # when the customer is notified
    notify(customer=sms_customer, event="case_resolved", key="1", case=case)
    # then nothing is reported missing
    assert "has no de translation" not in caplog.text


@pytest.mark.parametrize(
    "localised",
    [
        '{% get_current_language as LANGUAGE_CODE %}<html lang="{{ LANGUAGE_CODE }}">',
        '{{ case.created_at|date:"DATETIME_FORMAT" }}',
    ],
    ids=["html-lang", "localised-date"],
)
def test_a_missing_translation_next_to_localised_output_is_logged(
    settings, tmp_path, sms_customer, caplog, localised
):
    # given an untranslated email whose HTML also holds something the locale formats
    files = {
        "subject.txt": UNTRANSLATED_TEXT,
        "body.txt": UNTRANSLATED_TEXT,
        "body.html": UNTRANSLATED_TEXT + localised,
    }
    event = _event_folder(settings, tmp_path, "untranslated_localised", files)
    case = a_case(sms_customer, language="de")
    # when it is rendered for a German customer
    render(event=event, channel=EMAIL, language="de", tz="UTC", context={"case": case})
    # then the untranslated subject and body are still reported
    assert "has no de translation" in caplog.text
