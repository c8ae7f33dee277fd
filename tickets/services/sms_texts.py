"""What an SMS holds and how long it is: segment counting (GSM 03.38 through the gsm0338
codec), the short links texts carry instead of full addresses, and the start-up check that
every text fits in one segment with the configured link."""

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.template.utils import get_app_template_dirs
from django.utils import translation

from tickets.models import Case, ShortLink
from tickets.models.cases import CASE_NUMBER_ALPHABET

SHORT_LINK_PATH = "/s/"
# 24 letters and digits that cannot be mistaken for one another, six of them: 191 million
# codes, and a link of SMS_LINK_BASE_URL plus 9 characters.
SHORT_LINK_ALPHABET = CASE_NUMBER_ALPHABET
SHORT_LINK_CODE_LENGTH = 6
# The longest text a single segment holds: GSM-7, else UCS-2 (in UTF-16 units).
ONE_SEGMENT = {"gsm": 160, "ucs2": 70}


def sms_segments(text: str) -> int:
    """How many SMS parts `text` takes: GSM-7 160/153 septets (the extension table's characters
    count two), else UCS-2 70/67 UTF-16 units (so an emoji counts two)."""
    try:
        units, single, multi = len(text.encode("gsm03.38")), 160, 153
    except UnicodeEncodeError:
        units, single, multi = len(text.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else -(-units // multi)


def sms_link_base() -> str:
    """Where short links point: SMS_LINK_BASE_URL, or SITE_URL when it is unset."""
    base: str = settings.SMS_LINK_BASE_URL or settings.SITE_URL
    return base.rstrip("/")


def short_link_url(code: str) -> str:
    return f"{sms_link_base()}{SHORT_LINK_PATH}{code}"


def short_link_for(*, path: str) -> str:
    """The short address (SMS_LINK_BASE_URL/s/<code>) of `path`, a path on this site; the
    same path always gets the same code. Written in the caller's transaction."""
    if not path.startswith("/"):
        raise ValueError(f"A short link leads to a path on this site, not {path!r}.")
    for _attempt in range(5):
        code = ShortLink.objects.filter(target=path).values_list("code", flat=True).first()
        if code is not None:
            return short_link_url(code)
        code = "".join(secrets.choice(SHORT_LINK_ALPHABET) for _ in range(SHORT_LINK_CODE_LENGTH))
        try:
            # A savepoint: a taken code, or the same path created by a concurrent request,
            # must not spoil the caller's transaction.
            with transaction.atomic():
                ShortLink.objects.create(code=code, target=path)
        except IntegrityError:
            continue
        return short_link_url(code)
    raise RuntimeError(f"No free short link code for {path!r} after 5 tries.")


def render_sms(event: str, context: dict[str, Any]) -> str:
    """templates/notifications/<event>/sms.txt in the active language, on one line."""
    return " ".join(render_to_string(f"notifications/{event}/sms.txt", context).split())


# --- the start-up check ------------------------------------------------------------------------


@dataclass(frozen=True)
class OverlongSms:
    event: str
    status: str
    language: str
    segments: int
    text: str


def sms_events() -> list[str]:
    """Every event that has an SMS template (templates/notifications/<event>/sms.txt, in the
    project's template folders or an app's)."""
    engines: list[dict[str, Any]] = settings.TEMPLATES
    folders = [Path(folder) for engine in engines for folder in engine.get("DIRS", [])]
    folders += [Path(folder) for folder in get_app_template_dirs("templates")]
    return sorted(
        {path.parent.name for folder in folders for path in folder.glob("notifications/*/sms.txt")}
    )


def sample_short_link() -> str:
    """A short link as long as any notify() writes."""
    return short_link_url(SHORT_LINK_ALPHABET[0] * SHORT_LINK_CODE_LENGTH)


def sms_overlong(*, link: str) -> list[OverlongSms]:
    """Every SMS (event × case status × language) that takes more than one segment with
    `link` in it and a case number of the configured prefix."""
    number = f"{settings.CASE_NUMBER_PREFIX}-{CASE_NUMBER_ALPHABET[0] * 4}-" + (
        CASE_NUMBER_ALPHABET[0] * 4
    )
    found = []
    for event in sms_events():
        for status in Case.Status.values:
            context = {"case": Case(number=number, status=status), "link": link}
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    text = render_sms(event, context)
                segments = sms_segments(text)
                if segments > 1:
                    found.append(OverlongSms(event, status, language, segments, text))
    return found
