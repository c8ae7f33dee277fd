"""The portal's pages in five languages: the first visit follows Accept-Language, the switcher
changes it, and no English from our catalogs is left on a page in another language."""

import html
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core import mail
from django.core.cache import cache as django_cache
from django.utils import translation
from django.utils.translation import gettext, to_locale

from tests.tickets.factories import CaseFactory, CompensationFactory, CustomerFactory, OrderFactory
from tickets.models import Case, Message
from tickets.services.messages import message_add
from tickets.services.portal_access import portal_link_request

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "de", "fr", "es", "zh-hans"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}")


@cache
def _catalog_english(language):
    """The English texts of our catalog for `language` that read differently in it: whole
    msgids, and the runs of words between their placeholders, of more than one word."""
    po = Path(settings.LOCALE_PATHS[0]) / to_locale(language) / "LC_MESSAGES" / "django.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    texts = set()
    for message in catalog:
        if not message.id or message.pluralizable or message.string == message.id:
            continue
        # a python-format msgid's "%%" reads "%" on the page
        msgid = message.id.replace("%%", "%") if message.python_format else message.id
        for run in PLACEHOLDER.split(msgid):
            run = " ".join(run.split()).strip(" .,:;·")
            if len(run.split()) > 1:
                texts.add(run)
    return texts


def _visible(page):
    """The page's text and attribute values, unescaped, with whitespace collapsed."""
    return " ".join(html.unescape(page).split())


def _english_left(page, language):
    text = _visible(page)
    return sorted(english for english in _catalog_english(language) if english in text)


@pytest.fixture
def pages(portal_client, portal_customer, portal_order):
    """Every portal page with something on it: an order, a case with a thread, compensation,
    milestones and a next step; subjects and messages are no catalog text."""
    line = portal_order.lines.get(title="Kettle")
    case = CaseFactory(
        customer=portal_customer,
        order=portal_order,
        order_line=line,
        kind=Case.Kind.GENERAL,
        subject="Kettle #7",
        status=Case.Status.OPEN,
    )
    message_add(case=case, body="Hallo", author_kind=Message.Author.CUSTOMER, actor=None)
    CompensationFactory(case=case)
    order = portal_order.pk
    return {
        "orders": ("get", "/portal/orders/", {}),
        "help": ("get", f"/portal/orders/{order}/help/", {}),
        "help, unanswered": ("get", f"/portal/orders/{order}/help/", {"branch": "x"}),
        "which item": ("get", f"/portal/orders/{order}/help/defect/", {}),
        "case form": ("get", f"/portal/orders/{order}/cases/new/?branch=other", {}),
        "case form, errors": ("post", f"/portal/orders/{order}/cases/new/?branch=other", {}),
        "cases": ("get", "/portal/cases/", {}),
        "case": ("get", f"/portal/cases/{case.number}/", {}),
        "reply, errors": ("post", f"/portal/cases/{case.number}/reply/", {"body": ""}),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_in_every_language_has_no_english_from_our_catalogs(
    portal_client, pages, language
):
    # given the customer's browser set to `language` by the switcher
    portal_client.post("/i18n/setlang/", {"language": language, "next": "/portal/orders/"})
    left = {}
    for name, (method, url, data) in pages.items():
        # when each page is rendered
        response = getattr(portal_client, method)(url, data)
        page = response.content.decode()
        # then it is in that language, and no text of our catalogs is left in English
        assert response.status_code in (200, 400), name
        assert f'<html lang="{language}">' in page, name
        if language != "en" and _english_left(page, language):
            left[name] = _english_left(page, language)
    assert left == {}


@pytest.fixture
def signed_out_pages(db, settings):
    """The pages of a customer not signed in: the access form and what follows it, a link's
    confirm page and a refused link, the rate-limit and too-large pages."""
    django_cache.clear()
    settings.PORTAL_LINK_LIMIT_PER_EMAIL = 0
    customer = CustomerFactory(email="ana@example.com")
    OrderFactory(customer=customer, number="5001")
    portal_link_request(order_ref="5001", email="ana@example.com")
    token = re.search(r"/portal/link/([\w-]+)/", mail.outbox[-1].body).group(1)
    settings.EVIDENCE_MAX_BODY_BYTES = 10
    yield {
        "access form": ("get", "/portal/", {}, 200),
        "access form, errors": ("post", "/portal/", {"order": "", "email": "x"}, 400),
        "link sent": ("get", "/portal/sent/", {}, 200),
        "link confirm": ("get", f"/portal/link/{token}/", {}, 200),
        "link refused": ("get", "/portal/link/not-a-token-at-all-0123456789abcdef/", {}, 404),
        "over the limit": ("post", "/portal/", {"order": "5001", "email": "a@b.example"}, 429),
        "too large": ("post", "/portal/cases/AS-XXXX-XXXX/reply/", {"body": "x" * 20}, 413),
    }
    django_cache.clear()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_signed_out_page_in_every_language_has_no_english_from_our_catalogs(
    client, signed_out_pages, language
):
    # given a browser set to `language` by the switcher, nobody signed in
    client.post("/i18n/setlang/", {"language": language, "next": "/portal/"})
    left = {}
    for name, (method, url, data, status) in signed_out_pages.items():
        # when each page is rendered
        response = getattr(client, method)(url, data)
        page = response.content.decode()
        # then it is in that language, and no text of our catalogs is left in English
        assert response.status_code == status, name
        assert f'<html lang="{language}">' in page, name
        if language != "en" and _english_left(page, language):
            left[name] = _english_left(page, language)
    assert left == {}


def test_the_check_finds_english_left_on_a_german_page():
    # given a German page with one sentence of our catalog left in English (one that holds no
    # other text of the catalog)
    texts = _catalog_english("de")
    english = next(t for t in sorted(texts) if not any(o != t and o in t for o in texts))
    page = f"<p>Guten Tag</p><p>{html.escape(english)}</p>"
    # then the check names it
    assert _english_left(page, "de") == [english]


def test_the_first_visit_follows_the_browsers_language(portal_client, portal_order):
    # when a browser asking for German first opens My orders
    page = portal_client.get("/portal/orders/", headers={"accept-language": "de"}).content.decode()
    # then the page is German, sign-out button included
    with translation.override("de"):
        sign_out = gettext("Sign out")
    assert '<html lang="de">' in page
    assert sign_out != "Sign out" and sign_out in page


def test_the_switcher_is_on_every_page_and_its_choice_wins(portal_client, portal_order):
    # given a browser asking for German, whose customer picks Spanish in the switcher
    page = portal_client.get("/portal/cases/", headers={"accept-language": "de"}).content.decode()
    assert 'action="/i18n/setlang/"' in page
    portal_client.post("/i18n/setlang/", {"language": "es", "next": "/portal/cases/"})
    # then the pages are Spanish from then on
    page = portal_client.get("/portal/cases/", headers={"accept-language": "de"}).content.decode()
    assert '<html lang="es">' in page


def test_the_layout_has_a_skip_link_main_and_nav_with_sign_out(portal_client, portal_order):
    page = portal_client.get("/portal/orders/").content.decode()
    assert '<a class="skip-link" href="#main">' in page
    assert '<main class="container portal-main" id="main"' in page
    assert 'href="/portal/orders/"' in page and 'href="/portal/cases/"' in page
    assert re.search(
        r'<form action="/portal/sign-out/" method="post">\s*<input type="hidden"', page
    )


def test_no_page_has_inline_script_or_style(portal_client, pages):
    # The Content-Security-Policy allows neither: the thumbnails come from aftersales.js.
    for name, (method, url, data) in pages.items():
        page = getattr(portal_client, method)(url, data).content.decode()
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == [], name
        assert " style=" not in page and "<style" not in page, name
        assert re.search(r"\son[a-z]+=", page) is None, name
