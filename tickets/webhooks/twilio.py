"""Twilio's incoming-message webhook: the signature check and what a message asks for. Pure
functions: nothing here touches the database.

Twilio POSTs form fields (From, To, Body, MessageSid, AccountSid, and OptOutType when the
Messaging Service has Advanced Opt-Out) and signs them with the account's Auth Token over the
exact URL configured in the Twilio console."""

from collections.abc import Mapping

from twilio.request_validator import RequestValidator

# Twilio's default English opt-out keywords. The whole message must be the keyword (any case,
# spaces around it ignored): "stop sending me the wrong parcel" is not an opt-out.
OPT_OUT_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
# Nothing to say back: Twilio itself sends the carrier-mandated "you have been unsubscribed".
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def public_url(*, site_url: str, full_path: str) -> str:
    """The URL Twilio requested, as Twilio saw it: our public origin (SITE_URL) and the path
    with its query. Behind a proxy that ends TLS, request.build_absolute_uri() would give the
    inner scheme and host, which Twilio did not sign."""
    return site_url.rstrip("/") + full_path


def signature_valid(
    *, url: str, params: Mapping[str, str], signature: str | None, token: str
) -> bool:
    """Whether `signature` (X-Twilio-Signature) is Twilio's HMAC-SHA1 of `url` and the POST
    `params` under the Auth Token `token`. Always False without a token or a signature, so an
    unconfigured account refuses every request."""
    if not token or not signature:
        return False
    return RequestValidator(token).validate(url, params, signature)


def is_opt_out(params: Mapping[str, str]) -> bool:
    """Whether the message is an opt-out: one of OPT_OUT_KEYWORDS, or one Twilio's Advanced
    Opt-Out already classified as such (OptOutType=STOP, which covers keywords configured in
    other languages)."""
    body = (params.get("Body") or "").strip().upper()
    return body in OPT_OUT_KEYWORDS or (params.get("OptOutType") or "").upper() == "STOP"


def sender(params: Mapping[str, str]) -> str:
    """The number the message came from, E.164 as Twilio sends it; "" if missing."""
    return (params.get("From") or "").strip()
