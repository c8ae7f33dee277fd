"""Keyset page cursors for the dashboard's lists (the case list, returns' inspection queue): the
sort value of a page's last row and its id, as an opaque URL-safe string. A cursor this code did
not write (cut short, edited, an impossible time) is a BadCursor, which the pages answer with a
400 that says so."""

import base64
import binascii
import json
from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime

# Ids are bigints: anything outside would fail in the database, not as a bad link.
LARGEST_PK = 2**63 - 1


class BadCursor(ValueError):
    """A page cursor that is not one this list wrote (hand-edited or from another sort)."""


def cursor_encode(value: Any, pk: int) -> str:
    """The cursor of the row with sort value `value` (a time, a number or None) and id `pk`."""
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[Any, int]:
    """(the sort value as JSON gave it, the id) of `cursor`; raises BadCursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise BadCursor(cursor) from exc
    if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk <= LARGEST_PK:
        raise BadCursor(cursor)
    return value, pk


def cursor_time(value: Any, cursor: str) -> datetime:
    """The aware time a cursor's sort value holds; raises BadCursor for anything else,
    a well-formed but impossible time (month 13) included."""
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError as exc:
        raise BadCursor(cursor) from exc
    if parsed is None or parsed.tzinfo is None:
        raise BadCursor(cursor)
    return parsed
