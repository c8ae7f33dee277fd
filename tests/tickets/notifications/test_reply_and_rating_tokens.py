"""Reply addresses and rating links: signed for one case, useless once altered."""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from django.utils.crypto import salted_hmac

from tests.tickets.factories import CustomerFactory
from tests.tickets.notifications.support import CASE_NUMBER, SITE_URL, a_case
from tickets.services.notifications import case_number_from_reply_address, reply_address
from tickets.services.ratings import (
    RatingClaim,
    case_number_from_rating_token,
    rating_claim,
    rating_links,
)

pytestmark = pytest.mark.django_db

OTHER_NUMBER = "AS-ACDE-FGHJ"


@pytest.fixture
def case():
    return a_case(CustomerFactory())


def _flip(char):
    return "0" if char != "0" else "1"


# --- reply addresses ---------------------------------------------------------------------------


def test_a_reply_address_leads_back_to_its_case(case):
    # when a reply comes to the address of a case's email
    address = reply_address(case)
    # then it names the case, on our reply domain
    assert address.startswith(f"reply+{CASE_NUMBER.lower()}.")
    assert address.endswith("@reply.shop.example")
    assert case_number_from_reply_address(address) == CASE_NUMBER


@pytest.mark.parametrize(
    "written",
    [
        lambda address: address.upper(),
        lambda address: f'"Customer service" <{address}>',
    ],
    ids=["upper-case", "with-display-name"],
)
def test_a_reply_address_survives_how_mail_programs_write_it(case, written):
    assert case_number_from_reply_address(written(reply_address(case))) == CASE_NUMBER


def test_a_tampered_signature_is_refused(case):
    # given a reply address whose signature was changed by one character
    address = reply_address(case)
    local, domain = address.split("@")
    tampered = f"{local[:-1]}{_flip(local[-1])}@{domain}"
    # then it leads nowhere
    assert case_number_from_reply_address(tampered) is None


def test_another_cases_number_with_this_signature_is_refused(case):
    # given the signature of one case put on another case's number
    address = reply_address(case)
    forged = address.replace(CASE_NUMBER.lower(), OTHER_NUMBER.lower())
    # then it leads nowhere
    assert forged != address
    assert case_number_from_reply_address(forged) is None


@pytest.mark.parametrize(
    "address", ["support@shop.example", "reply+as-qwer-tyup@reply.shop.example", ""]
)
def test_addresses_that_are_not_reply_addresses_lead_nowhere(address):
    assert case_number_from_reply_address(address) is None


def _legacy_address(number, secret):
    """A reply address as signed before Django's salted_hmac took over (hand-rolled HMAC)."""
    signature = hmac.new(secret.encode(), f"reply:{number}".encode(), hashlib.sha256).hexdigest()
    return f"reply+{number.lower()}.{signature[:16]}@reply.shop.example"


def test_a_reply_address_is_signed_with_djangos_salted_hmac(case, settings):
    expected = salted_hmac(
        "tickets.reply-address", CASE_NUMBER, secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()[:16]
    assert reply_address(case) == f"reply+{CASE_NUMBER.lower()}.{expected}@reply.shop.example"


def test_a_reply_address_sent_before_the_switch_still_leads_to_its_case(case, settings):
    # given an address in the earlier signature form, from an email customers already have
    old = _legacy_address(CASE_NUMBER, settings.SECRET_KEY)
    assert old != reply_address(case)
    # then a reply to it still finds the case
    assert case_number_from_reply_address(old) == CASE_NUMBER
    # but not with another secret's signature
    assert case_number_from_reply_address(_legacy_address(CASE_NUMBER, "another")) is None


def test_a_reply_address_signed_with_a_retired_secret_key_still_works(case, settings):
    # given an address signed before SECRET_KEY was rotated
    old = reply_address(case)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation"
    # then it still leads to its case, while new addresses use the new key
    assert reply_address(case) != old
    assert case_number_from_reply_address(old) == CASE_NUMBER
    settings.SECRET_KEY_FALLBACKS = []
    assert case_number_from_reply_address(old) is None


# --- rating links ------------------------------------------------------------------------------


def _token(link):
    prefix = f"{SITE_URL}/portal/rate/"
    assert link.startswith(prefix)
    token, score, _ = link.removeprefix(prefix).split("/")
    return token, score


def test_rating_links_offer_scores_1_to_5_for_their_case_and_resolution(case):
    # given a case resolved at an instant
    case.resolved_at = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
    # when the rating links of a case are made
    links = rating_links(case)
    # then there is one per score, and each token names the case and that resolution
    assert [score for score, _link in links] == [1, 2, 3, 4, 5]
    for score, link in links:
        token, score_in_link = _token(link)
        assert score_in_link == str(score)
        assert case_number_from_rating_token(token) == CASE_NUMBER
        assert rating_claim(token) == RatingClaim(CASE_NUMBER, 1772357415123456)


def test_another_resolution_gets_another_token(case):
    case.resolved_at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    first, _score = _token(rating_links(case)[0][1])
    case.resolved_at += timedelta(microseconds=1)
    second, _score = _token(rating_links(case)[0][1])
    assert rating_claim(first) != rating_claim(second)


def test_a_tampered_rating_token_is_refused(case):
    # given a rating token with one character changed
    token, _score = _token(rating_links(case)[0][1])
    tampered = token[:-1] + _flip(token[-1])
    # then it names no case
    assert case_number_from_rating_token(tampered) is None


@pytest.mark.parametrize("token", ["", "not-a-token", "AS-QWER-TYUP"])
def test_a_made_up_rating_token_is_refused(token):
    assert case_number_from_rating_token(token) is None
