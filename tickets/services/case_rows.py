"""The case row as every case service writes it: lock it, change fields, save them with the
version bumped. The lowest layer of the case services (cases → messages → transitions →
case_rows); nothing here records events or notifies, the callers do."""

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from tickets.errors import StaleVersion
from tickets.models import Case


def case_lock(*, case: Case) -> Case:
    """The current row of `case`, locked; raises StaleVersion if it moved on since `case` was
    read (optimistic locking: a person acts on what they saw)."""
    current = case_lock_current(case=case)
    if current.version != case.version:
        raise StaleVersion(case.number)
    return current


def case_lock_current(*, case: Case) -> Case:
    """The current row of `case`, locked, whatever version the caller read: for writes that
    act on the case as it is now (the system, a customer's message), not on a copy someone saw."""
    return Case.objects.select_for_update().get(pk=case.pk)


def case_save(*, case: Case, fields: Iterable[str] = ()) -> None:
    """Write `fields` of `case` only if nobody wrote since it was read (a conditional UPDATE, so
    it holds on SQLite too, where select_for_update is a no-op), and bump the version.

    Raises StaleVersion when the row moved on."""
    now = timezone.now()
    written = Case.objects.filter(pk=case.pk, version=case.version).update(
        **{name: getattr(case, name) for name in fields},
        version=F("version") + 1,
        updated_at=now,
    )
    if not written:
        raise StaleVersion(case.number)
    case.version += 1
    case.updated_at = now
