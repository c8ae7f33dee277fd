"""GET /portal/rate/<token>/<score>/: the one-click rating links of the resolution email."""

import pytest
from django.core import signing
from django.utils import timezone

from tests.tickets.factories import CaseFactory
from tickets.models import Case, CaseEvent
from tickets.services.notifications import rating_links

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(settings):
    settings.SITE_URL = "https://support.shop.example"
    return CaseFactory(status=Case.Status.RESOLVED, language="de")


def _path(case, score: int) -> str:
    """The path of the link the customer got for `score`."""
    return dict(rating_links(case))[score].removeprefix("https://support.shop.example")


def _token(case) -> str:
    return _path(case, 1).split("/")[3]


def test_a_click_stores_the_rating_and_thanks_the_customer(client, resolved, time_machine):
    # given a clock that stands still, so the page signs its links at the same instant as the
    # expected ones below
    time_machine.move_to(timezone.now(), tick=False)
    # when the customer clicks 4 in the email
    response = client.get(_path(resolved, 4))
    # then the rating is stored, the case otherwise untouched
    assert response.status_code == 200
    resolved.refresh_from_db()
    assert resolved.satisfaction == 4
    assert resolved.satisfaction_at is not None
    assert (resolved.status, resolved.version) == (Case.Status.RESOLVED, 1)
    assert CaseEvent.objects.filter(case=resolved, verb="rated").count() == 1
    # and the thank-you page shows the score and the links to change it
    assert response.context["score"] == 4
    content = response.content.decode()
    assert resolved.number in content
    for score in range(1, 6):
        assert f'href="{_path(resolved, score)}"' in content
    assert 'aria-current="true"' in content
    # and the page may not be cached anywhere (the URL is a credential)
    assert "no-store" in response["Cache-Control"]


def test_the_page_is_in_the_case_language_whatever_the_browser_says(client, resolved):
    response = client.get(_path(resolved, 5), headers={"accept-language": "fr"})
    assert '<html lang="de">' in response.content.decode()
    assert response["Content-Language"] == "de"


def test_a_later_click_changes_the_rating(client, resolved):
    client.get(_path(resolved, 1))
    client.get(_path(resolved, 5))
    resolved.refresh_from_db()
    assert resolved.satisfaction == 5
    assert CaseEvent.objects.filter(case=resolved, verb="rated").count() == 2


@pytest.mark.parametrize("score", ["0", "6", "05", "10", "five", "-1"])
def test_a_score_outside_1_to_5_is_a_404(client, resolved, score):
    response = client.get(f"/portal/rate/{_token(resolved)}/{score}/")
    assert response.status_code == 404
    resolved.refresh_from_db()
    assert resolved.satisfaction is None


def test_a_forged_token_is_a_404(client, resolved):
    # a case number signed with another salt, a tampered token, and plain garbage
    for token in (
        signing.dumps(resolved.number, salt="magic-link"),
        _token(resolved)[:-2] + "xx",
        "not-a-token",
    ):
        assert client.get(f"/portal/rate/{token}/5/").status_code == 404
    resolved.refresh_from_db()
    assert resolved.satisfaction is None
    assert not CaseEvent.objects.filter(verb="rated").exists()


def test_a_token_for_a_case_that_does_not_exist_is_a_404(client, resolved):
    token = signing.dumps("AS-XXXX-XXXX", salt="case-rating", compress=True)
    assert client.get(f"/portal/rate/{token}/5/").status_code == 404


@pytest.mark.parametrize("method", ["post", "head", "put"])
def test_only_a_click_rates(client, resolved, method):
    # a link checker's HEAD or a stray POST records nothing
    response = getattr(client, method)(_path(resolved, 3))
    assert response.status_code == 405
    resolved.refresh_from_db()
    assert resolved.satisfaction is None
