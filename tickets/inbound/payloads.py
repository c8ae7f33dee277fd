"""What each provider's inbound email post must carry, checked before django-anymail reads it,
so that a refusal names the field that is missing or wrong instead of "not an inbound email
post". Anymail reads these fields without checking them (a missing key or a wrong type is a
KeyError or TypeError deep inside it).

Each check takes the authenticated request and returns {field: [problem, ...]}, empty when
the post is fine. Field names are the provider's own, with a path into its JSON
("Attachments[0].ContentType"). Pure functions: nothing here touches the database."""

import binascii
import json
from base64 import b64decode
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

Problems = dict[str, list[str]]


class _Problems(dict[str, list[str]]):
    def add(self, field: str, problem: str) -> None:
        self.setdefault(field, []).append(problem)


_EXPECTED: dict[type, Callable[[], str]] = {
    dict: lambda: _("Expected a JSON object."),
    list: lambda: _("Expected a JSON list."),
    str: lambda: _("Expected a JSON string."),
    bool: lambda: _("Expected true or false."),
}


def _json_body(request: HttpRequest, problems: _Problems) -> Any:
    try:
        return json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        problems.add("body", _("The body is not UTF-8 JSON."))
        return None


def _json_field(request: HttpRequest, field: str, problems: _Problems, kind: type) -> Any:
    """The form field `field` parsed as JSON of type `kind`; None when absent or wrong."""
    if field not in request.POST:
        return None
    try:
        value = json.loads(request.POST[field])
    except (ValueError, RecursionError):
        problems.add(field, _("Expected JSON."))
        return None
    if not isinstance(value, kind):
        problems.add(field, _EXPECTED[kind]())
        return None
    return value


def _typed(value: Any, kind: type, field: str, problems: _Problems, *, optional: bool) -> bool:
    """Whether `value` is a `kind`; records the problem when it is not (None is fine when
    `optional`)."""
    if value is None and optional:
        return False
    if isinstance(value, kind):
        return True
    problems.add(field, _EXPECTED[kind]())
    return False


def _base64(value: str, field: str, problems: _Problems) -> bytes | None:
    try:
        # Line breaks are allowed (MIME wraps base64 at 76 characters); nothing else is.
        return b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        problems.add(field, _("Expected base64-encoded content."))
        return None


# --- form posts ---------------------------------------------------------------------------------


def mailgun(request: HttpRequest) -> Problems:
    """Mailgun's forward() route: the raw message in body-mime (to a URL containing "mime") or
    the parsed fields with message-headers; the signature fields are checked before this."""
    problems = _Problems()
    if (
        request.content_type == "application/json"
        or request.POST.get("event", "inbound") != "inbound"
        or "attachments" in request.POST
    ):
        return problems  # a tracking webhook or a store() route: anymail says so ("wrong_webhook")
    if not request.POST.get("timestamp", "").isdigit():
        problems.add("timestamp", _("Expected the Unix time in seconds."))
    if "body-mime" not in request.POST:
        if "message-headers" not in request.POST:
            problems.add(
                "message-headers",
                _("Send either body-mime (the raw message) or message-headers (parsed fields)."),
            )
        headers = _json_field(request, "message-headers", problems, list)
        if headers is not None and not all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)
            for pair in headers
        ):
            problems.add("message-headers", _("Expected a list of [name, value] pairs."))
        count = request.POST.get("attachment-count")
        if count is not None and not count.isdigit():
            problems.add("attachment-count", _("Expected a whole number."))
        _json_field(request, "content-id-map", problems, dict)
    return problems


def sendgrid(request: HttpRequest) -> Problems:
    """SendGrid's Inbound Parse: the raw message in email ("POST the raw, full MIME message")
    or the parsed fields with headers."""
    problems = _Problems()
    # Anymail reads the raw body again for fields in another charset: read it before the form,
    # which consumes the stream.
    _keep_body_readable = request.body  # noqa: F841
    if "headers" not in request.POST and "email" not in request.POST:
        problems.add(
            "headers", _("Send either email (the raw message) or headers (parsed fields).")
        )
    envelope = _json_field(request, "envelope", problems, dict)
    if envelope is not None:
        _typed(envelope.get("from"), str, "envelope.from", problems, optional=False)
        to = envelope.get("to")
        if not (isinstance(to, list) and to and all(isinstance(x, str) for x in to)):
            problems.add("envelope.to", _("Expected a list of at least one address."))
    _json_field(request, "charsets", problems, dict)
    info = _json_field(request, "attachment-info", problems, dict)
    for key, value in (info or {}).items():
        _typed(value, dict, f"attachment-info.{key}", problems, optional=False)
    return problems


# --- JSON posts ---------------------------------------------------------------------------------


def _postmark_addresses(event: dict[str, Any], field: str, problems: _Problems) -> None:
    if _typed(event.get(field), list, field, problems, optional=True):
        for index, address in enumerate(event[field]):
            _typed(address, dict, f"{field}[{index}]", problems, optional=False)


def postmark(request: HttpRequest) -> Problems:
    """Postmark's inbound JSON: the raw message in RawEmail, or the parsed fields."""
    problems = _Problems()
    event = _json_body(request, problems)
    if problems or not _typed(event, dict, "body", problems, optional=False):
        return problems
    if _typed(event.get("Headers"), list, "Headers", problems, optional=True):
        for index, header in enumerate(event["Headers"]):
            if not (
                isinstance(header, dict)
                and isinstance(header.get("Name"), str)
                and isinstance(header.get("Value"), str)
            ):
                problems.add(f"Headers[{index}]", _('Expected {"Name": …, "Value": …}.'))
    if "RawEmail" in event:
        _typed(event["RawEmail"], str, "RawEmail", problems, optional=False)
        return problems
    _typed(event.get("FromFull"), dict, "FromFull", problems, optional=True)
    for field in ("ToFull", "CcFull", "BccFull"):
        _postmark_addresses(event, field, problems)
    for field in ("Subject", "TextBody", "HtmlBody", "Date", "ReplyTo"):
        _typed(event.get(field), str, field, problems, optional=True)
    if _typed(event.get("Attachments"), list, "Attachments", problems, optional=True):
        for index, attachment in enumerate(event["Attachments"]):
            field = f"Attachments[{index}]"
            if not _typed(attachment, dict, field, problems, optional=False):
                continue
            _typed(attachment.get("ContentType"), str, f"{field}.ContentType", problems,
                   optional=False)  # fmt: skip
            content = attachment.get("Content") or attachment.get("Data")
            if _typed(content, str, f"{field}.Content", problems, optional=False):
                _base64(content, f"{field}.Content", problems)
    return problems


def sparkpost(request: HttpRequest) -> Problems:
    """SparkPost's relay webhook: a JSON list of {"msys": {"relay_message": {...}}} events, each
    with the raw message in content.email_rfc822."""
    problems = _Problems()
    events = _json_body(request, problems)
    if problems or not _typed(events, list, "body", problems, optional=False):
        return problems
    for index, raw in enumerate(events):
        field = f"[{index}].msys"
        msys = raw.get("msys") if isinstance(raw, dict) else None
        if not _typed(msys, dict, field, problems, optional=False):
            continue
        if len(msys) > 1:
            problems.add(field, _("Expected one event per item."))
        relay = msys.get("relay_message")
        if not isinstance(relay, dict):
            continue  # a ping ({}) or a tracking event: anymail says so ("wrong_webhook")
        field = f"{field}.relay_message"
        _typed(relay.get("protocol"), str, f"{field}.protocol", problems, optional=False)
        content = relay.get("content")
        if not _typed(content, dict, f"{field}.content", problems, optional=False):
            continue
        rfc822 = content.get("email_rfc822")
        is_base64 = content.get("email_rfc822_is_base64")
        name = f"{field}.content.email_rfc822"
        has_message = _typed(rfc822, str, name, problems, optional=False)
        has_flag = _typed(is_base64, bool, f"{name}_is_base64", problems, optional=False)
        if has_message and has_flag and is_base64:
            decoded = _base64(rfc822, name, problems)
            try:
                (decoded or b"").decode("utf-8")
            except UnicodeDecodeError:
                problems.add(name, _("Expected a UTF-8 message."))
    return problems


def mailjet(request: HttpRequest) -> Problems:
    """Mailjet's Parse API: one JSON object with Headers, Text-part, Html-part and Parts, whose
    attachments sit base64-encoded under the key their ContentRef names."""
    problems = _Problems()
    event = _json_body(request, problems)
    if problems or not _typed(event, dict, "body", problems, optional=False):
        return problems
    _mailjet_headers(event.get("Headers"), "Headers", problems)
    for field in ("Text-part", "Html-part", "Sender", "Recipient"):
        _typed(event.get(field), str, field, problems, optional=True)
    if _typed(event.get("Parts"), list, "Parts", problems, optional=True):
        for index, part in enumerate(event["Parts"]):
            field = f"Parts[{index}]"
            if not _typed(part, dict, field, problems, optional=False):
                continue
            reference = part.get("ContentRef", "")
            if not _typed(reference, str, f"{field}.ContentRef", problems, optional=False):
                continue
            _mailjet_headers(part.get("Headers"), f"{field}.Headers", problems)
            if "Attachment" in reference:
                content = event.get(reference)
                if _typed(content, str, reference, problems, optional=False):
                    _base64(content, reference, problems)
    return problems


def _mailjet_headers(headers: Any, field: str, problems: _Problems) -> None:
    if _typed(headers, dict, field, problems, optional=True):
        for name, value in headers.items():
            values = value if isinstance(value, list) else [value]
            if not all(isinstance(v, str) for v in values):
                problems.add(f"{field}.{name}", _("Expected a string or a list of strings."))


CHECKS: dict[str, Callable[[HttpRequest], Problems]] = {
    "Mailgun": mailgun,
    "Postmark": postmark,
    "SendGrid": sendgrid,
    "SparkPost": sparkpost,
    "Mailjet": mailjet,
}
