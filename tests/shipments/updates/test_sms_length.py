"""Every shipment text, in English and in each language of the catalogs, fits one SMS segment with
the longest short link notify() writes (the start-up check renders texts with a case only, so
it never sees a rule's or a milestone's own text)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tickets.services.sms_texts import sample_short_link, sms_segments

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ["shipment_problem", "shipment_update"]


def sms_messages():
    found = []
    for event in TEMPLATES:
        text = (ROOT / "templates" / "notifications" / event / "sms.txt").read_text()
        found += re.findall(r'{% translate "(.*?)" %}', text)
        found += [
            re.sub(r"{{ (\w+) }}", r"%(\1)s", message)
            for message in re.findall(
                r"{% blocktranslate [^%]*%}(.*?){% endblocktranslate %}", text
            )
        ]
    return found


@pytest.mark.parametrize("message", sms_messages())
def test_each_text_fits_one_segment(message):
    link = sample_short_link()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            text = translation.gettext(message)
        assert language == "en" or text != message, f"{message!r} has no {language} translation"
        sms = f"{text} {link}".replace("%(date)s", "24/12/2026")
        assert sms_segments(sms) == 1, sms
