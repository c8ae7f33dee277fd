"""Short links in SMS (/s/<code>) and the start-up check that every text fits one segment."""

import re

import pytest

from tickets.checks import sms_length_check
from tickets.models import ShortLink
from tickets.services.sms_texts import SHORT_LINK_CODE_LENGTH, short_link_for

pytestmark = pytest.mark.django_db

LONG_SITE_URL = "https://customer-service.long-shop-names.example"  # 48 characters


def test_a_path_gets_one_short_code_however_often_it_is_asked_for(settings):
    # given SMS links on their own short base
    settings.SMS_LINK_BASE_URL = "https://as.example"
    # when the same path is shortened twice
    first, second = short_link_for(path="/portal/"), short_link_for(path="/portal/")
    # then it is one link, a base plus /s/ and a six-character code
    assert first == second
    assert re.fullmatch(rf"https://as\.example/s/[A-Z0-9]{{{SHORT_LINK_CODE_LENGTH}}}", first)
    assert ShortLink.objects.count() == 1


def test_without_a_short_base_links_start_with_site_url(settings):
    settings.SMS_LINK_BASE_URL = ""
    settings.SITE_URL = "https://shop.example"
    assert short_link_for(path="/portal/").startswith("https://shop.example/s/")


def test_only_paths_on_this_site_are_shortened():
    with pytest.raises(ValueError, match="path on this site"):
        short_link_for(path="https://elsewhere.example/")


def test_a_short_link_leads_to_its_page_on_site_url(client, settings):
    # given a short link to the portal
    settings.SITE_URL = "https://support.shop.example"
    code = short_link_for(path="/portal/").rsplit("/", 1)[-1]
    # when a customer follows it, typed in lower case or not
    for typed in (code, code.lower()):
        response = client.get(f"/s/{typed}")
        # then they land on the portal on SITE_URL
        assert response.status_code == 302
        assert response["Location"] == "https://support.shop.example/portal/"


@pytest.mark.parametrize("code", ["ZZZZZZ", "x", "not-a-code"])
def test_an_unknown_short_link_is_a_404(client, code):
    assert client.get(f"/s/{code}").status_code == 404


# --- the start-up check -----------------------------------------------------------------------


def test_a_long_site_url_without_a_short_link_base_is_refused_at_start_up(settings):
    # given a 48-character SITE_URL and no SMS_LINK_BASE_URL
    settings.SITE_URL = LONG_SITE_URL
    settings.SMS_LINK_BASE_URL = ""
    assert len(settings.SITE_URL) == 48
    # when the system checks run
    [error] = sms_length_check(None)
    # then they refuse, naming the longest text and what to set
    assert error.id == "as.E009"
    assert "more than one segment" in error.msg
    assert "SMS_LINK_BASE_URL" in error.hint


def test_the_same_site_url_with_a_short_link_base_passes(settings):
    settings.SITE_URL = LONG_SITE_URL
    settings.SMS_LINK_BASE_URL = "https://as.shop.example"
    assert sms_length_check(None) == []


@pytest.mark.parametrize(
    "site_url",
    ["http://127.0.0.1:8000", "http://localhost:8000", "https://support.shop.example"],
)
def test_the_usual_site_urls_fit_without_a_short_base(settings, site_url):
    settings.SITE_URL = site_url
    settings.SMS_LINK_BASE_URL = ""
    assert sms_length_check(None) == []


def test_a_longer_case_number_prefix_counts_too(settings):
    # given a short link base that fits with "AS" but not with a ten-letter prefix
    settings.SMS_LINK_BASE_URL = "https://support.shop.example"
    settings.CASE_NUMBER_PREFIX = "SUPPORTDESK"
    # then the check refuses it
    [error] = sms_length_check(None)
    assert "CASE_NUMBER_PREFIX" in error.hint
