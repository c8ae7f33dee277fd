"""The cache as the reads use it: what they keep there saves them a query, so an outage of the
cache (Redis) makes them read the database instead, with a logged warning, never fail."""

import logging
from collections.abc import Callable
from typing import TypeVar

logger = logging.getLogger(__name__)
T = TypeVar("T")


def unless_cache_down(call: Callable[[], T], *, what: str) -> T | None:
    """`call()` (a use of the cache), or None, logged, when the cache cannot be reached."""
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 — any cache failure: go without, loudly
        logger.warning("%s without the cache: it cannot be reached (%s).", what, exc)
        return None
