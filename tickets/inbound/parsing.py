"""Reading an inbound email: who sent it, which of our addresses and messages it points at,
its own words without the quoted history, its attachments, and whether a machine wrote it.
Pure functions: nothing here touches the database."""

import hashlib
import logging
import mimetypes
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.message import Message as AnyMessage
from email.parser import BytesParser
from email.utils import getaddresses

from flufl.bounce import all_failures as bounce_failures

from tickets.inbound.text import body_parts, content_text

# Headers that may carry the reply+<token>@ address the customer wrote to.
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To")
# Thread headers are read newest first, and only this many: a References header can grow to
# hundreds of ids in a long thread, and the newest are the ones we wrote.
MAX_REFERENCES = 50
MESSAGE_ID_MAX_LENGTH = 255
FILENAME_MAX_LENGTH = 120
SIGNATURE_TYPES = {"application/pkcs7-signature", "application/x-pkcs7-signature",
                   "application/pgp-signature"}  # fmt: skip
MACHINE_SENDERS = {"mailer-daemon", "postmaster"}

logger = logging.getLogger(__name__)


def parse(raw: bytes) -> EmailMessage:
    """The RFC 5322 message in `raw`, parsed with the modern email API."""
    return BytesParser(policy=policy.default).parsebytes(raw)


def normalise(message: AnyMessage) -> EmailMessage:
    """`message` as an EmailMessage (anymail's AnymailInboundMessage is one); a message parsed
    with the legacy compat32 API is parsed again from its bytes."""
    if isinstance(message, EmailMessage):
        return message
    return parse(message.as_bytes())


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n(?=[ \t])", "", str(value))


def _raw(message: AnyMessage, name: str) -> list[str]:
    # raw_items() never runs the header parser, which can choke on a malformed header.
    return [_unfold(value) for key, value in message.raw_items() if key.lower() == name.lower()]


def _decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except (LookupError, UnicodeError, ValueError):
        return value


def header(message: AnyMessage, name: str) -> str:
    """The first `name` header, decoded, or "" when there is none."""
    values = _raw(message, name)
    return _decoded(values[0]).strip() if values else ""


def _addresses(values: Iterable[str]) -> list[tuple[str, str]]:
    return [
        (_decoded(name).strip(), address.strip())
        for name, address in getaddresses(list(values))
        if "@" in address
    ]


def sender(message: AnyMessage) -> tuple[str, str]:
    """(name, address) of the first From address; ("", "") when there is none."""
    found = _addresses(_raw(message, "From"))
    return found[0] if found else ("", "")


def recipient_addresses(message: AnyMessage) -> list[str]:
    """Every address the email was sent or delivered to, in header order, then the envelope
    recipient an inbound webhook reports."""
    addresses = [
        address for name in RECIPIENT_HEADERS for _n, address in _addresses(_raw(message, name))
    ]
    envelope = getattr(message, "envelope_recipient", None)
    if envelope:
        addresses.append(str(envelope))
    return addresses


def subject(message: AnyMessage) -> str:
    return re.sub(r"\s+", " ", header(message, "Subject")).strip()


def message_id(message: AnyMessage) -> str:
    """The email's Message-ID as "<id>". A message without one (or with an absurdly long one)
    gets an id made from a digest of its bytes, so that the same email delivered again
    still gets the same id."""
    found = re.search(r"<[^<>\s]+>", header(message, "Message-ID"))
    if found and len(found.group(0)) <= MESSAGE_ID_MAX_LENGTH:
        return found.group(0)
    basis = found.group(0).encode() if found else message.as_bytes()
    return f"<{hashlib.sha256(basis).hexdigest()}@digest.invalid>"


def referenced_ids(message: AnyMessage) -> list[str]:
    """Message-IDs this email answers: In-Reply-To first, then References newest first."""
    ids = re.findall(r"<[^<>\s]+>", header(message, "In-Reply-To"))
    ids += reversed(re.findall(r"<[^<>\s]+>", header(message, "References")))
    return list(dict.fromkeys(ids))[:MAX_REFERENCES]


def case_numbers(text: str, *, prefix: str, alphabet: str) -> list[str]:
    """Case numbers (PREFIX-XXXX-XXXX) mentioned in `text`, upper-cased, first mention first."""
    code = f"[{alphabet}]{{4}}"
    pattern = rf"(?<![\w-]){re.escape(prefix)}-{code}-{code}(?![\w-])"
    return list(dict.fromkeys(m.upper() for m in re.findall(pattern, text, re.IGNORECASE)))


# --- bounces ------------------------------------------------------------------------------------

# A non-standard bounce (Exim, qmail, older Postfix) quotes the returned email's headers in its
# text.
_QUOTED_MESSAGE_ID = re.compile(r"^message-id:[ \t]*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
# The mail server's permanent refusal as a non-standard bounce quotes it: "550 5.1.1 User unknown".
_SMTP_ERROR = re.compile(r"^[ \t]*(5\d\d[ -].*)$", re.MULTILINE)


@dataclass(frozen=True)
class Bounce:
    message_id: str  # the Message-ID of our email that could not be delivered
    reason: str


def _returned_message_id(message: EmailMessage) -> str:
    """The Message-ID of the email a bounce returns: from its attached copy (message/rfc822)
    or headers (text/rfc822-headers), else from the copy of its headers quoted in the text."""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            payload = part.get_payload()
            original = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(original, AnyMessage) and original.get("Message-ID"):
                return str(original["Message-ID"]).strip()
        elif kind == "text/rfc822-headers":
            headers = BytesParser(policy=policy.default).parsebytes(
                _content_bytes(part), headersonly=True
            )
            if headers.get("Message-ID"):
                return str(headers["Message-ID"]).strip()
    found = _QUOTED_MESSAGE_ID.search(_text_of(message))
    return found.group(1) if found else ""


def _text_of(message: EmailMessage) -> str:
    return "\n".join(
        content_text(part) for part in _leaves(message) if part.get_content_type() == "text/plain"
    )


def _reported_failures(message: EmailMessage) -> list[str]:
    """Status and Diagnostic-Code of each failed recipient an RFC 3464 report lists."""
    failed = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status" or not part.is_multipart():
            continue
        for block in part.get_payload():
            if str(block.get("Action", "")).strip().lower().startswith(("fail", "error")):
                status = str(block.get("Status", "")).strip()
                diagnostic = _unfold(str(block.get("Diagnostic-Code", ""))).strip()
                failed.append(f"{status} {diagnostic}".strip())
    return [reason for reason in failed if reason]


def bounce(message: EmailMessage) -> Bounce | None:
    """What a bounce says failed for good: the Message-ID of the returned email and the reason
    given, or None for a delay, a success report, a message that is no bounce, or a bounce
    that does not quote the returned email's Message-ID.

    Whether delivery failed for good is flufl.bounce's answer: it reads RFC 3464 delivery
    status notifications and the non-standard formats of Exim, qmail, Postfix, Microsoft and
    others. It answers only *which recipients* failed, so which of our emails it was, and why,
    are read here: from the returned email's headers, and from the report's Status and
    Diagnostic-Code (else the failed addresses)."""
    try:
        _temporary, permanent = bounce_failures(message)
    except Exception:
        # Its heuristic detectors read whatever a stranger sends; one that trips over a message
        # must not fail the receipt of that email (its provider would retry it for days).
        logger.exception("flufl.bounce could not read %s.", message_id(message))
        return None
    if not permanent:
        return None
    returned = _returned_message_id(message)
    if not returned:
        return None
    reason = "; ".join(_reported_failures(message))
    if not reason:
        addresses = ", ".join(sorted(address.decode("ascii") for address in permanent))
        reply = _SMTP_ERROR.search(_text_of(message))
        reason = f"{addresses}: {reply.group(1).strip() if reply else 'permanent failure'}"
    return Bounce(message_id=returned, reason=reason)


# --- machines ----------------------------------------------------------------------------------


def ignore_reason(
    message: AnyMessage, *, own_addresses: frozenset[str], reply_domain: str
) -> str | None:
    """Why this email must not reach a case (a bounce, an auto-reply, a list, our own mail
    coming back, spam the provider flagged), or None for a person's email. `own_addresses`
    (lower case) are those we send from; reply+…@`reply_domain` is ours too."""
    _name, address = sender(message)
    local_part, _at, domain = address.lower().rpartition("@")
    envelope_sender = getattr(message, "envelope_sender", None)
    auto_submitted = header(message, "Auto-Submitted").split(";")[0].strip().lower()
    precedence = header(message, "Precedence").strip().lower()
    checks = (
        # Delivery status notifications (RFC 3464) first: they are often auto-submitted too.
        ("delivery_report", message.get_content_type() == "multipart/report"),
        ("mailer_daemon", local_part in MACHINE_SENDERS),
        (
            "null_sender",
            any(value.strip() == "<>" for value in _raw(message, "Return-Path"))
            or envelope_sender in {"", "<>"},
        ),
        ("auto_submitted", auto_submitted not in {"", "no"}),
        ("precedence", precedence in {"bulk", "junk", "list"}),
        (
            "autoreply",
            any(
                _raw(message, name)
                for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress")
            ),
        ),
        ("mailing_list", bool(_raw(message, "List-Id") or _raw(message, "List-Unsubscribe"))),
        (
            "own_email",
            bool(_raw(message, "X-Aftersales-Notification"))
            or address.lower() in own_addresses
            or (local_part.startswith("reply+") and domain == reply_domain.lower()),
        ),
        ("spam", getattr(message, "spam_detected", None) is True),
    )
    return next((reason for reason, applies in checks if applies), None)


# --- attachments --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachedFile:
    filename: str
    content_type: str
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)


def _leaves(part: EmailMessage) -> Iterator[EmailMessage]:
    if part.get_content_maintype() == "multipart":
        for sub in part.iter_parts():
            yield from _leaves(sub)
    else:
        yield part


def _content_bytes(part: EmailMessage) -> bytes:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) else payload
        return inner.as_bytes() if isinstance(inner, AnyMessage) else str(inner).encode()
    return part.get_payload(decode=True) or b""


def safe_filename(name: str | None, *, content_type: str, number: int) -> str:
    """A file name without folders or control characters, at most FILENAME_MAX_LENGTH long;
    attachment-<number>.<extension guessed from the type> when there is none."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", (name or "").replace("\\", "/")).rsplit("/", 1)[-1]
    name = name.strip().strip(".")
    if not name:
        extension = ".eml" if content_type == "message/rfc822" else None
        name = f"attachment-{number}{extension or mimetypes.guess_extension(content_type) or ''}"
    stem, dot, extension = name.rpartition(".")
    if len(name) > FILENAME_MAX_LENGTH:
        keep = FILENAME_MAX_LENGTH - len(extension) - 1 if dot and len(extension) <= 10 else 0
        name = f"{stem[:keep]}.{extension}" if keep > 0 else name[:FILENAME_MAX_LENGTH]
    return name


def attachments(message: EmailMessage) -> list[AttachedFile]:
    """The files of the email: attachments, inline images and attached emails; never the body
    parts or a signature."""
    body = {id(part) for part in body_parts(message) if part is not None}
    found = []
    for part in _leaves(message):
        content_type = part.get_content_type()
        filename = part.get_filename()
        is_text_body = part.get_content_maintype() == "text" and not (
            filename or part.get_content_disposition() == "attachment"
        )
        if id(part) in body or is_text_body or content_type in SIGNATURE_TYPES:
            continue
        found.append(
            AttachedFile(
                filename=safe_filename(filename, content_type=content_type, number=len(found) + 1),
                content_type=content_type,
                content=_content_bytes(part),
            )
        )
    return found
