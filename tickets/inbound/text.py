"""The words of an inbound email: its text body (or its HTML body as text), without the quoted
history of the conversation. Pure functions."""

import re
from collections.abc import Iterable
from email.message import EmailMessage

from inscriptis import get_text
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from inscriptis.model.css import Display
from inscriptis.model.html_element import HtmlElement

# Why our own quote stripping and not mail-parser-reply (1.36, tried on the replies of
# tests/tickets/inbound/test_parsing.py): it finds the history in Gmail and Thunderbird in
# English and German and in Outlook's header blocks, but it keeps the whole quoted history of
# - Gmail in French: "a écrit :" has a no-break space before the colon;
# - Gmail in Spanish: its pattern wants two spaces before "escribió:";
# - Chinese ("…写道："): its negative look-ahead rejects every line its pattern accepts;
# - "-----Ursprüngliche Nachricht-----" (it knows only "Original Message");
# it keeps the attribution and the quotes of an inline reply (answers between quoted lines),
# and it cuts a forwarded message ("---------- Forwarded message ---------" with From: and
# Subject:) off as if it were history, losing what the customer forwarded to us.

_ATTRIBUTIONS = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"on\b.{0,300}\bwrote\s*:",  # English: Gmail, Apple Mail, Thunderbird
        r"am\b.{0,300}\bschrieb\b.{0,300}:",  # German
        r"le\b.{0,300}\ba\s+écrit\s*:",  # French (often a no-break space before the colon)
        r"el\b.{0,300}\bescribió\s*:",  # Spanish
        r".{0,300}写道\s*[:：]",  # Chinese
        r"op\b.{0,300}\bschreef\b.{0,300}:",  # Dutch
        r"il\b.{0,300}\bha scritto\s*:",  # Italian
        r"em\b.{0,300}\bescreveu\s*:",  # Portuguese
    )
]
_ORIGINAL_MESSAGE = re.compile(
    r"-{2,}\s*(original message|ursprüngliche nachricht|originalnachricht|message d'origine"
    r"|mensaje original|原始邮件)\s*-{2,}",
    re.IGNORECASE,
)
# Outlook quotes with a header block ("From: … / Sent: … / To: … / Subject: …") in the language
# of the customer's Outlook.
_OUTLOOK_FROM = re.compile(r"\*?(from|von|de|van|da|发件人)\s*\*?\s*[:：].*\S", re.IGNORECASE)
_OUTLOOK_SENT = re.compile(
    r"\*?(sent|date|gesendet|datum|envoyé|enviado|fecha|verzonden|inviato|发送时间|日期)\s*\*?\s*[:：]",
    re.IGNORECASE,
)
_UNDERSCORES = re.compile(r"_{10,}")


def _history_start(lines: list[str]) -> tuple[int, int] | None:
    """(first, end) lines of the separator that starts the quoted history, or None."""
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if _ORIGINAL_MESSAGE.fullmatch(text):
            return index, index + 1
        # A long attribution is wrapped over two lines by many mail programs.
        two_lines = f"{text} {lines[index + 1].strip()}" if index + 1 < len(lines) else text
        for candidate, end in ((text, index + 1), (two_lines, index + 2)):
            if any(pattern.fullmatch(candidate) for pattern in _ATTRIBUTIONS):
                return index, end
        if _OUTLOOK_FROM.fullmatch(text) and any(
            _OUTLOOK_SENT.match(following.strip()) for following in lines[index + 1 : index + 5]
        ):
            above = index - 1
            while above >= 0 and not lines[above].strip():
                above -= 1
            start = above if above >= 0 and _UNDERSCORES.fullmatch(lines[above].strip()) else index
            return start, index + 1
    return None


def _is_quote(line: str) -> bool:
    return line.lstrip().startswith(">")


def _tidy(lines: Iterable[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def strip_quoted(text: str) -> str:
    """The customer's own words: without quoted lines (">") and without the history below an
    attribution ("On … wrote:", "Am … schrieb …:", "Le … a écrit :", "El … escribió:",
    "…写道："), an "-----Original Message-----" line or an Outlook "From: … Sent: …" block.
    Answers written between quoted lines are kept; text that is nothing but quotes is
    returned whole rather than emptied."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    separator = _history_start(lines)
    if separator is None:
        return _tidy(line for line in lines if not _is_quote(line)) or text.strip()
    start, end = separator
    own = _tidy(line for line in lines[:start] if not _is_quote(line))
    if not own:
        # An inline reply: the answers sit between the quoted lines below the attribution.
        own = _tidy(line for line in lines[:start] + lines[end:] if not _is_quote(line))
    return own or text.strip()


# Inscriptis lays HTML out as text the way a browser would (lists, tables, blocks); its strict
# profile adds no indentation of its own. Blockquotes hold the quoted history of Gmail, Apple
# Mail and Thunderbird: they are not shown at all.
_HTML_AS_TEXT = ParserConfig(
    css={**CSS_PROFILES["strict"], "blockquote": HtmlElement(display=Display.none)}
)


def html_to_text(html: str) -> str:
    """The readable text of an HTML body, without scripts, styles and blockquotes."""
    return _tidy(get_text(html, _HTML_AS_TEXT).split("\n"))


def content_text(part: EmailMessage) -> str:
    """A text part's content as str with \n line ends, whatever charset it claims."""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, KeyError):  # an unknown or lying charset
        text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return str(text).replace("\r\n", "\n").replace("\r", "\n")


def body_parts(message: EmailMessage) -> tuple[EmailMessage | None, EmailMessage | None]:
    """The message's text/plain and text/html bodies (either may be None)."""
    return (
        message.get_body(preferencelist=("plain",)),
        message.get_body(preferencelist=("html",)),
    )


def body_text(message: EmailMessage) -> str:
    """The customer's words: the text/plain body, else the HTML body as text, with the quoted
    history stripped; "" for an email without either."""
    plain, html = body_parts(message)
    if plain is not None and (text := strip_quoted(content_text(plain))):
        return text
    if html is not None:
        return strip_quoted(html_to_text(content_text(html)))
    return ""
