"""Reading a webhook's body: one JSON object, or a refusal every webhook answers alike (400)."""

import json
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from tickets.errors import ApplicationError


class PayloadNotJson(ApplicationError):
    code = "invalid_json"

    def __init__(self) -> None:
        super().__init__(_("The body is not a JSON object."))


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def json_object(body: bytes, *, parse_float: Callable[[str], Any] = float) -> dict[str, Any]:
    """The JSON object in `body`, numbers with a fraction read by `parse_float`. Raises
    PayloadNotJson for anything else, NaN and Infinity included (a stored payload must stay
    valid JSON)."""
    try:
        payload = json.loads(body, parse_float=parse_float, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError too
        raise PayloadNotJson() from exc
    if not isinstance(payload, dict):
        raise PayloadNotJson()
    return payload
