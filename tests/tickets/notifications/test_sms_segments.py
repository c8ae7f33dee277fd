"""sms_segments() counts like a carrier, and every text we send fits in two parts."""

import pytest

from tests.tickets.factories import CustomerFactory
from tests.tickets.notifications.support import CASE_NUMBER, VALID_PHONE, a_case
from tickets.models import Case, Notification
from tickets.services.notifications import notify
from tickets.services.sms_texts import sms_segments

LANGUAGES = ["en", "de", "fr", "es", "zh-hans"]
# Every SMS a customer can get: the event, and the status the case is in when it goes out.
SMS_VARIANTS = [
    ("case_received", Case.Status.NEW),
    ("agent_reply", Case.Status.OPEN),
    ("case_status_changed", Case.Status.WAITING_ON_CUSTOMER),
    ("case_status_changed", Case.Status.WAITING_ON_RETURN),
    ("case_status_changed", Case.Status.WAITING_ON_CARRIER),
    ("case_resolved", Case.Status.RESOLVED),
]


# --- the counting rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
    ],
    ids=["empty", "160", "161", "2x153", "2x153+1"],
)
def test_gsm7_text_fits_160_in_one_part_and_153_per_part_beyond(text, segments):
    assert sms_segments(text) == segments


@pytest.mark.parametrize(
    ("text", "segments"),
    [("€" * 80, 1), ("€" * 81, 2), ("a" * 159 + "[", 2), ("a" * 158 + "^", 1)],
    ids=["80-euros", "81-euros", "159+bracket", "158+caret"],
)
def test_characters_of_the_extension_table_count_twice(text, segments):
    assert sms_segments(text) == segments


@pytest.mark.parametrize("char", ["ä", "ö", "ü", "ß", "é", "è", "ñ", "¿", "¡", "Ä", "Ç"])
def test_these_accented_letters_are_gsm7(char):
    # given 160 characters, one of them `char`: one part only if `char` is in the GSM-7 set
    assert sms_segments(char + "a" * 159) == 1


@pytest.mark.parametrize("char", ["ê", "ç", "á", "í", "ó", "ú", "\u00a0", "’", "„", "中"])
def test_one_letter_outside_gsm7_makes_the_whole_text_ucs2(char):
    # given 71 characters, one of them outside GSM-7: the text is UCS-2, 70 per part
    assert sms_segments(char + "a" * 69) == 1
    assert sms_segments(char + "a" * 70) == 2


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("中" * 70, 1),
        ("中" * 71, 2),
        ("中" * 134, 2),
        ("中" * 135, 3),
        ("😀" * 35, 1),
        ("😀" * 35 + "a", 2),
        ("😀" * 67, 2),
    ],
    ids=[
        "70-hanzi",
        "71-hanzi",
        "2x67-hanzi",
        "2x67+1-hanzi",
        "35-emoji",
        "35-emoji+1",
        "67-emoji",
    ],
)
def test_ucs2_fits_70_in_one_part_and_67_per_part_beyond_and_emoji_count_twice(text, segments):
    assert sms_segments(text) == segments


# --- what we send ------------------------------------------------------------------------------

# 48 characters: SITE_URL plays no part in a text's length.
LONG_SITE_URL = "https://customer-service.long-shop-names.example"  # 48 characters
SHORT_LINK_BASE = "https://as.shop.example"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("event", "status"), SMS_VARIANTS)
def test_every_sms_fits_in_one_part_with_a_long_site_url_and_links_to_the_case(
    event, status, language, settings, client
):
    # given a 48-character SITE_URL and SMS links on a short base
    settings.SITE_URL = LONG_SITE_URL
    settings.SMS_LINK_BASE_URL = SHORT_LINK_BASE
    assert len(settings.SITE_URL) == 48
    # and a case with a realistic number, in `status`, for a customer who agreed to SMS
    customer = CustomerFactory(sms_consent=True, phone=VALID_PHONE, language=language)
    case = a_case(customer, status=status, language=language)
    # when the customer is told about `event`
    notify(customer=customer, event=event, key=case.number, case=case)
    # then the text names the case, ends with a short link, and takes one part
    sms = case.notifications.get(channel=Notification.Channel.SMS)
    assert CASE_NUMBER in sms.body
    link = sms.body.rsplit(" ", 1)[-1]
    assert link.startswith(f"{SHORT_LINK_BASE}/s/")
    assert sms_segments(sms.body) == 1, sms.body
    # and the link leads to the case's portal page on SITE_URL, with its order number
    response = client.get(link.removeprefix(SHORT_LINK_BASE))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{LONG_SITE_URL}/portal/cases/{case.number}/?order={case.order.number}"
    )


@pytest.mark.django_db
def test_a_text_is_the_same_whatever_site_url_is(settings):
    # given SMS links on a short base, and one event told under a short and a long SITE_URL
    settings.SMS_LINK_BASE_URL = SHORT_LINK_BASE
    customer = CustomerFactory(sms_consent=True, phone=VALID_PHONE, language="zh-hans")
    case = a_case(customer, status=Case.Status.WAITING_ON_CUSTOMER, language="zh-hans")
    for key, site_url in [("short", "https://a.example"), ("long", LONG_SITE_URL)]:
        settings.SITE_URL = site_url
        notify(customer=customer, event="case_status_changed", key=key, case=case)
    # then both texts are the same, link and all
    texts = case.notifications.filter(channel=Notification.Channel.SMS)
    assert len({sms.body for sms in texts}) == 1
    assert texts.count() == 2
