"""/portal/rate/<token>/<score>/: the rating links of the resolution email. Opening one shows
a confirm page and changes nothing; the customer's POST from it rates. Links expire after 30
days and stop working once the case is reopened or closed."""

import re
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from tests.tickets.factories import CaseFactory
from tickets.models import Case, CaseEvent
from tickets.services.cases import case_transition

pytestmark = pytest.mark.django_db

SITE_URL = "https://support.shop.example"
RATING_LINK = re.compile(re.escape(SITE_URL) + r"(/portal/rate/[^/\s\"<]+/([1-5])/)")


@pytest.fixture
def resolved(settings, agent_user):
    """A case an agent resolved: its resolution email carries the rating links."""
    settings.SITE_URL = SITE_URL
    case = CaseFactory(status=Case.Status.OPEN, language="de")
    return case_transition(case=case, to=Case.Status.RESOLVED, actor=agent_user)


def _links(case) -> dict[int, str]:
    """{score: path} of the links in the latest resolution email of `case`."""
    email = case.notifications.filter(template="case_resolved", channel="email").latest("pk")
    return {int(score): path for path, score in RATING_LINK.findall(email.body)}


def _rated(case) -> tuple[int | None, int]:
    case.refresh_from_db()
    return case.satisfaction, CaseEvent.objects.filter(case=case, verb="rated").count()


# --- GET shows, POST records --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "head"])
def test_opening_a_link_shows_the_confirm_page_and_changes_nothing(client, resolved, method):
    # when the customer (or their mail scanner) opens the link for 4
    response = getattr(client, method)(_links(resolved)[4])
    # then the confirm page is shown, and nothing is recorded
    assert response.status_code == 200
    assert _rated(resolved) == (None, 0)
    # and the page may not be cached anywhere (the URL is a credential)
    assert "no-store" in response["Cache-Control"]


def test_the_confirm_page_has_the_score_chosen_and_one_button(client, resolved):
    content = client.get(_links(resolved)[4]).content.decode()
    # the form posts back to the link, with a CSRF token
    assert f'<form method="post" action="{_links(resolved)[4]}">' in content
    assert 'name="csrfmiddlewaretoken"' in content
    # five choices, the clicked one checked, one button
    choices = re.findall(r'<input type="radio"\s+name="score"\s+value="(\d)"[^>]*>', content)
    assert choices == ["1", "2", "3", "4", "5"]
    checked = re.findall(r'value="(\d)"\s+required\s+checked', content)
    assert checked == ["4"]
    form = content[content.index('<form method="post" action="/portal/rate/') :]
    form = form[: form.index("</form>")]
    assert form.count("<button") == 1


def test_a_mail_scanner_fetching_every_link_rates_nothing(client, resolved):
    for path in _links(resolved).values():
        assert client.get(path).status_code == 200
    assert _rated(resolved) == (None, 0)


def test_sending_the_form_records_the_rating_and_thanks_the_customer(client, resolved):
    # given the confirm page of the link for 4
    path = _links(resolved)[4]
    # when the customer sends it
    response = client.post(path, {"score": "4"})
    # then the rating is stored, the case otherwise untouched
    assert response.status_code == 200
    assert _rated(resolved) == (4, 1)
    assert resolved.satisfaction_at is not None
    assert (resolved.status, resolved.version) == (Case.Status.RESOLVED, 2)
    # and the thank-you page shows the score and the links to change it
    assert response.context["score"] == 4
    content = response.content.decode()
    assert resolved.number in content
    for score, link in _links(resolved).items():
        assert f'href="{link}"' in content, score
    assert 'aria-current="true"' in content
    assert "no-store" in response["Cache-Control"]


def test_the_score_sent_is_the_one_recorded_whatever_the_link(client, resolved):
    # given the page of the link for 5, where the customer picks 2 instead
    client.post(_links(resolved)[5], {"score": "2"})
    assert _rated(resolved) == (2, 1)


def test_a_later_rating_replaces_the_first(client, resolved):
    client.post(_links(resolved)[1], {"score": "1"})
    client.post(_links(resolved)[5], {"score": "5"})
    assert _rated(resolved) == (5, 2)


def test_the_page_shows_the_rating_so_far(client, resolved):
    # (the case is in German, so is every page of its links)
    client.post(_links(resolved)[3], {"score": "3"})
    response = client.get(_links(resolved)[5])
    assert "Ihre bisherige Bewertung: 3 von 5" in response.content.decode()


@pytest.mark.parametrize("score", [None, "", "0", "6", "five", "4.0"])
def test_a_missing_or_wrong_score_shows_the_form_again_with_a_400(client, resolved, score):
    data = {} if score is None else {"score": score}
    response = client.post(_links(resolved)[4], data)
    assert response.status_code == 400
    content = response.content.decode()
    assert 'aria-invalid="true"' in content
    assert 'id="rating-error"' in content
    assert _rated(resolved) == (None, 0)


def test_a_post_without_the_csrf_token_records_nothing(resolved):
    # given a client that, like a browser, is held to CSRF
    browser = Client(enforce_csrf_checks=True)
    # when a post arrives without the token of our page
    response = browser.post(_links(resolved)[1], {"score": "1"})
    # then it is refused
    assert response.status_code == 403
    assert _rated(resolved) == (None, 0)


def test_the_form_of_our_page_passes_the_csrf_check(resolved):
    browser = Client(enforce_csrf_checks=True)
    path = _links(resolved)[4]
    page = browser.get(path).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = browser.post(path, {"score": "4", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert _rated(resolved) == (4, 1)


def test_the_page_is_in_the_case_language_whatever_the_browser_says(client, resolved):
    response = client.get(_links(resolved)[5], headers={"accept-language": "fr"})
    assert '<html lang="de">' in response.content.decode()
    assert response["Content-Language"] == "de"


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(client, resolved, method):
    response = getattr(client, method)(_links(resolved)[3])
    assert response.status_code == 405
    assert _rated(resolved) == (None, 0)


# --- expired and void links ---------------------------------------------------------------------


def test_a_link_works_until_30_days_after_the_resolution(client, resolved, time_machine):
    # given the resolution email's links, 30 days less a minute later
    links = _links(resolved)
    time_machine.move_to(timezone.now() + timedelta(days=30, minutes=-1))
    # then they still rate
    assert client.post(links[4], {"score": "4"}).status_code == 200
    assert _rated(resolved) == (4, 1)


def test_an_expired_link_shows_a_friendly_page_in_the_case_language(client, resolved, time_machine):
    # given the links, 30 days and a minute after the resolution
    links = _links(resolved)
    time_machine.move_to(timezone.now() + timedelta(days=30, minutes=1))
    # when the customer opens one, or sends its form
    for response in (client.get(links[4]), client.post(links[4], {"score": "4"})):
        # then a page says the link has expired, with a 4xx, in the case's language
        assert response.status_code == 410
        content = response.content.decode()
        assert "Dieser Bewertungslink ist abgelaufen" in content
        assert "30 Tage" in content
        assert '<html lang="de">' in content
        assert response["Content-Language"] == "de"
    # and nothing is recorded
    assert _rated(resolved) == (None, 0)


def test_reopening_the_case_voids_its_links(client, resolved):
    # given the customer's reply reopened the case after the resolution email went out
    links = _links(resolved)
    case_transition(case=resolved, to=Case.Status.OPEN, actor=None)
    # then the links show why they no longer work, and rate nothing
    for response in (client.get(links[5]), client.post(links[5], {"score": "5"})):
        assert response.status_code == 410
        content = response.content.decode()
        assert "Dieser Bewertungslink funktioniert nicht mehr" in content
        assert "wieder geöffnet" in content
        assert '<html lang="de">' in content
    assert _rated(resolved) == (None, 0)


def test_only_the_latest_resolutions_links_work(client, resolved, agent_user):
    # given a case resolved, reopened and resolved again: two emails with links
    first = _links(resolved)
    case = case_transition(case=resolved, to=Case.Status.OPEN, actor=None)
    case = case_transition(case=case, to=Case.Status.RESOLVED, actor=agent_user)
    second = _links(case)
    assert second != first
    # then the first email's links are void, the second's rate
    assert client.post(first[1], {"score": "1"}).status_code == 410
    assert client.post(second[5], {"score": "5"}).status_code == 200
    assert _rated(case) == (5, 1)


def test_closing_the_case_voids_its_links(client, resolved, agent_user):
    links = _links(resolved)
    case_transition(case=resolved, to=Case.Status.CLOSED, actor=agent_user)
    response = client.post(links[4], {"score": "4"})
    assert response.status_code == 410
    assert "abgeschlossen" in response.content.decode()
    assert _rated(resolved) == (None, 0)


# --- forged links -------------------------------------------------------------------------------


def test_a_forged_token_is_a_friendly_404(client, resolved):
    token = _links(resolved)[5].split("/")[3]
    # a case number signed with another salt, a tampered token, and plain garbage
    for forged in (
        signing.dumps(resolved.number, salt="magic-link"),
        token[:-2] + ("xx" if not token.endswith("xx") else "yy"),
        "not-a-token",
    ):
        for response in (
            client.get(f"/portal/rate/{forged}/5/"),
            client.post(f"/portal/rate/{forged}/5/", {"score": "5"}),
        ):
            assert response.status_code == 404
            assert "This link is not valid" in response.content.decode()
    assert _rated(resolved) == (None, 0)


def test_a_token_for_a_case_that_does_not_exist_is_a_404(client, resolved):
    token = signing.dumps("AS-XXXX-XXXX.1", salt="case-rating", compress=True)
    assert client.get(f"/portal/rate/{token}/5/").status_code == 404


@pytest.mark.parametrize("score", ["0", "6", "05", "10", "five", "-1"])
def test_a_score_outside_1_to_5_in_the_link_is_a_404(client, resolved, score):
    token = _links(resolved)[5].split("/")[3]
    response = client.get(f"/portal/rate/{token}/{score}/")
    assert response.status_code == 404
    assert _rated(resolved) == (None, 0)
