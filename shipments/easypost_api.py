"""EasyPost's REST API as both EasyPost adapters call it (shipments/claims/easypost.py and
shipments/labels/easypost.py): HTTPS with the API key as the basic-auth user, as EasyPost
documents, JSON in and out."""

from collections.abc import Callable
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext as _

API_BASE = "https://api.easypost.com/v2"
TIMEOUT_SECONDS = 20

# (method, path under /v2, JSON body or None) -> the decoded JSON answer.
Transport = Callable[[str, str, dict[str, Any] | None], dict[str, Any]]


def easypost_call(
    method: str, path: str, body: dict[str, Any] | None, *, error: type[Exception], refused: str
) -> dict[str, Any]:
    """EasyPost's answer to `method` `path` with `body`. Raises `error` with a message a person
    understands when the key is not set, EasyPost cannot be reached, or it refuses (`refused`,
    with %(status)s and %(detail)s: its HTTP status and its own message)."""
    if not settings.EASYPOST_API_KEY:
        raise error(_("EasyPost is not set up: EASYPOST_API_KEY is empty."))
    try:
        response = requests.request(
            method,
            f"{API_BASE}{path}",
            json=body,
            auth=(settings.EASYPOST_API_KEY, ""),
            timeout=TIMEOUT_SECONDS,
        )
    except requests.RequestException as exc:
        raise error(_("EasyPost could not be reached: %(error)s") % {"error": exc}) from exc
    if response.status_code >= 400:
        try:
            detail = response.json().get("error", {}).get("message", "")
        except ValueError:
            detail = ""
        raise error(refused % {"status": response.status_code, "detail": detail or response.reason})
    answer: dict[str, Any] = response.json()
    return answer
