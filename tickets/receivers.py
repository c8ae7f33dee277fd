"""Model signals tickets listens to: a change to who may work cases, or to the teams, forgets
the kept agents and teams (selectors/staff.py) and the kept permission sets
(selectors/access.py) at once and again when its transaction commits, so that a page read
between the two does not keep the old ones; so does a migration, which may grant a group new
permissions. Connected in apps.ready."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from tickets.models import GroupCaseVisibility, Team
from tickets.selectors.access import permissions_forget
from tickets.selectors.staff import staff_forget


def _forget_all() -> None:
    staff_forget()
    permissions_forget()


def _forget(**kwargs: Any) -> None:
    _forget_all()
    transaction.on_commit(_forget_all)


def _forget_unless_signing_in(update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
    # Every sign-in saves the account's last_login, which changes nothing the pickers show.
    if update_fields is None or set(update_fields) - {"last_login"}:
        _forget()


def staff_receivers_connect() -> None:
    user = get_user_model()
    post_save.connect(_forget_unless_signing_in, sender=user, dispatch_uid="staff-user-saved")
    post_delete.connect(_forget, sender=user, dispatch_uid="staff-user-deleted")
    for model in (Group, Team, Permission, GroupCaseVisibility):
        post_save.connect(_forget, sender=model, dispatch_uid=f"staff-{model.__name__}-saved")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"staff-{model.__name__}-deleted")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_forget, sender=through, dispatch_uid=f"staff-{through.__name__}")
    post_migrate.connect(_forget, dispatch_uid="staff-migrated")
