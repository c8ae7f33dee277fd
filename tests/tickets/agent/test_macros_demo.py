"""The demo macros: every language, in the words of the customer's emails, created once."""

import pytest
from django.conf import settings
from django.utils import translation

from tickets.management.commands._demo_macros import DEMO_MACROS, ensure_demo_macros
from tickets.models import Macro

pytestmark = pytest.mark.django_db


def test_the_demo_macros_have_every_language_and_running_again_adds_nothing():
    assert ensure_demo_macros() == len(DEMO_MACROS)
    assert ensure_demo_macros() == 0
    languages = {code for code, _name in settings.LANGUAGES}
    for macro in Macro.objects.prefetch_related("texts"):
        assert {text.language for text in macro.texts.all()} == languages, macro


@pytest.mark.parametrize("language", ["de", "fr", "es", "zh-hans"])
def test_a_demo_macro_names_a_case_as_the_customer_s_emails_and_portal_do(language):
    with translation.override(language):
        word = translation.pgettext("customer's request", "Case").lower()
    for name, (_status, _priority, _tag, bodies) in DEMO_MACROS.items():
        if "case" in bodies["en"].lower():
            assert word in bodies[language].lower(), (name, language, word)
