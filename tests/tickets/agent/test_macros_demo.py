"""The demo macros: every language, created once."""

import pytest
from django.conf import settings

from tickets.management.commands._demo_macros import DEMO_MACROS, ensure_demo_macros
from tickets.models import Macro

pytestmark = pytest.mark.django_db


def test_the_demo_macros_have_every_language_and_running_again_adds_nothing():
    assert ensure_demo_macros() == len(DEMO_MACROS)
    assert ensure_demo_macros() == 0
    languages = {code for code, _name in settings.LANGUAGES}
    for macro in Macro.objects.prefetch_related("texts"):
        assert {text.language for text in macro.texts.all()} == languages, macro
