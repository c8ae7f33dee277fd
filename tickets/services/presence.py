"""Who is on a case right now: agents' browsers report every few seconds that they are viewing
or replying, and each report answers who else is there. Kept in the cache only (nothing to
audit, and gone after a restart is fine)."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from tickets.models import Case

# A browser reports every 10 s; one silent for 30 s (closed, asleep, offline) is gone.
PRESENCE_SECONDS = 30
VIEWING, REPLYING = "viewing", "replying"
STATES = (VIEWING, REPLYING)


@dataclass(frozen=True)
class Present:
    """Another agent on the case: `seconds` since they last reported."""

    user_id: int
    name: str
    state: str
    seconds: int


def _key(case: Case) -> str:
    return f"presence:case:{case.pk}"


def presence_report(*, case: Case, user: User, state: str) -> list[Present]:
    """Note that `user` is on `case` in `state` (viewing or replying) and return the others
    there, longest-present first. Raises ValueError for another state.

    Read, change and write of one cache entry per case: two reports at the same instant may
    drop one of them, which its next report (10 s later) puts back."""
    if state not in STATES:
        raise ValueError(f"Unknown presence state {state!r}.")
    now = timezone.now().timestamp()
    entries: dict[str, dict[str, object]] = cache.get(_key(case)) or {}
    fresh = {
        user_id: entry
        for user_id, entry in entries.items()
        if now - float(entry["at"]) <= PRESENCE_SECONDS  # type: ignore[arg-type]
    }
    fresh[str(user.pk)] = {
        "name": user.get_full_name() or user.get_username(),
        "state": state,
        "at": now,
    }
    cache.set(_key(case), fresh, timeout=PRESENCE_SECONDS * 2)
    others = [
        Present(
            user_id=int(user_id),
            name=str(entry["name"]),
            state=str(entry["state"]),
            seconds=max(0, int(now - float(entry["at"]))),  # type: ignore[arg-type]
        )
        for user_id, entry in fresh.items()
        if user_id != str(user.pk)
    ]
    return sorted(others, key=lambda present: (-present.seconds, present.name))
