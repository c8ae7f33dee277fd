"""The catalogs under locale/ are complete, keep their placeholders, and reach the portal."""

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation
from django.utils.translation import gettext, to_locale

from tickets.portal.access import access_form

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LOCALES = ["de", "fr", "es", "zh_Hans"]

# %(name)s and friends, plus python-brace fields ({name}, {0}, {}) but not {{ template }} tags.
PERCENT_NAMED = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
BRACE_FIELD = re.compile(r"(?<!\{)\{(\w*(?:\.\w+|\[\w+\])*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")


def _po_path(locale):
    return LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"


def _catalog(locale):
    with _po_path(locale).open("rb") as po:
        return read_po(po)


def _entries(catalog):
    return [message for message in catalog if message.id]


def _placeholders(text):
    return Counter(PERCENT_NAMED.findall(text)), set(BRACE_FIELD.findall(text))


def test_every_site_language_has_a_catalog():
    # Given the languages the site offers besides its default
    offered = {to_locale(code) for code, _name in settings.LANGUAGES}
    offered.discard(to_locale(settings.LANGUAGE_CODE))

    # Then each one is a catalog this module checks
    assert offered == set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_parses_with_a_correct_header(locale):
    # When the catalog is read
    catalog = _catalog(locale)
    # Babel fills in a missing plural rule from its own data, so look at the header as written.
    header = _po_path(locale).read_text(encoding="utf-8").split("\n\n", 1)[0]

    # Then its header names the language, a plural rule and UTF-8, and is not fuzzy
    assert str(catalog.locale) == locale
    assert f'"Language: {locale}\\n"' in header
    assert '"Plural-Forms: nplurals=' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert not catalog.fuzzy
    assert _entries(catalog), "the catalog has no messages: run `make makemessages`"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_fully_translated_and_not_fuzzy(locale):
    # Given the catalog
    entries = _entries(_catalog(locale))

    # Then every message has a translation and none is marked fuzzy
    untranslated = [m.id for m in entries if not m.string or not all(m.string)]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders_of_their_msgid(locale):
    # Given the catalog
    entries = _entries(_catalog(locale))

    # Then each translation uses the placeholders of its source text
    mismatched = []
    for message in entries:
        if message.pluralizable:
            # The last plural form is the general one; it must match msgid_plural.
            expected = _placeholders(message.id[1])
            translated = _placeholders(message.string[-1])
        else:
            expected = _placeholders(message.id)
            translated = _placeholders(message.string)
        if translated != expected:
            mismatched.append((message.id, message.string))
    assert mismatched == []


PORTAL_STRINGS = {
    "de": {
        "How can we help with your order?": "Wie können wir Ihnen bei Ihrer Bestellung helfen?",
        "Something is broken": "Etwas ist defekt",
        "Customer service": "Kundenservice",
    },
    "fr": {
        "How can we help with your order?": (
            "Comment pouvons-nous vous aider avec votre commande\u00a0?"
        ),
        "Something is broken": "Un article est défectueux",
        "Customer service": "Service client",
    },
    "es": {
        "How can we help with your order?": "¿Cómo podemos ayudarle con su pedido?",
        "Something is broken": "Algo no funciona",
        "Customer service": "Atención al cliente",
    },
    "zh-hans": {
        "How can we help with your order?": "关于您的订单，我们能为您做些什么？",
        "Something is broken": "商品损坏或故障",
        "Customer service": "客户服务",
    },
}


@pytest.fixture
def compiled_catalogs():
    """Fails, rather than silently falling back to English, when the .mo files are stale."""
    for locale in LOCALES:
        po = _po_path(locale)
        mo = po.with_suffix(".mo")
        if not mo.exists():
            pytest.fail(f"{mo} is missing: run `make messages` to compile the catalogs.")
        if mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(f"{mo} is older than its .po file: run `make messages` again.")


@pytest.mark.usefixtures("compiled_catalogs")
@pytest.mark.parametrize("language", PORTAL_STRINGS)
def test_portal_strings_come_back_translated(language):
    # Given the portal's own texts and what they read in `language`
    expected = PORTAL_STRINGS[language]
    request = RequestFactory().get("/portal/")
    request.session = {}  # nobody signed in: the access form, with the scenarios beneath it

    # When they are looked up and the portal page is rendered in that language
    with translation.override(language):
        looked_up = {msgid: gettext(msgid) for msgid in expected}
        page = access_form(request).content.decode()

    # Then both carry the translation
    assert looked_up == expected
    assert expected["How can we help with your order?"] in page
    assert expected["Something is broken"] in page
