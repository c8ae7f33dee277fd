"""Model signals tickets listens to: a change to who may work cases, or to the teams, forgets
the kept agents and teams (selectors/staff.py) and the kept permission sets
(selectors/access.py) at once and again when its transaction commits, so that a page read
between the two does not keep the old ones; so does a migration, which may grant a group new
permissions. A change to an account, its agent profile or its two-factor devices forgets the
kept signed-in user the same way. Connected in apps.ready."""

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets.models import AgentProfile, GroupCaseVisibility, Team
from tickets.selectors.access import permissions_forget, signed_in_user_forget
from tickets.selectors.staff import staff_forget


def _forget_all() -> None:
    staff_forget()
    permissions_forget()


def _now_and_on_commit(forget: Callable[[], None]) -> None:
    # Again on commit: a request that read the old rows before the commit may have kept them.
    forget()
    transaction.on_commit(forget)


def _forget(**kwargs: Any) -> None:
    _now_and_on_commit(_forget_all)


def _forget_unless_signing_in(update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
    # Every sign-in saves the account's last_login, which changes nothing the pickers show.
    if update_fields is None or set(update_fields) - {"last_login"}:
        _forget()


def _forget_user(
    sender: type[Model], instance: Model, update_fields: Iterable[str] | None = None, **kwargs: Any
) -> None:
    # Routing stamps an agent's profile with every case it gives them; that is not shown.
    if update_fields is not None and set(update_fields) == {"last_routed_at"}:
        return
    pk = instance.pk if sender is get_user_model() else instance.user_id  # type: ignore[attr-defined]
    _now_and_on_commit(partial(signed_in_user_forget, pk=pk))


def staff_receivers_connect() -> None:
    user = get_user_model()
    for model in (user, AgentProfile, TOTPDevice):
        name = model.__name__
        post_save.connect(_forget_user, sender=model, dispatch_uid=f"signed-in-{name}-saved")
        post_delete.connect(_forget_user, sender=model, dispatch_uid=f"signed-in-{name}-deleted")
    post_save.connect(_forget_unless_signing_in, sender=user, dispatch_uid="staff-user-saved")
    post_delete.connect(_forget, sender=user, dispatch_uid="staff-user-deleted")
    for model in (Group, Team, Permission, GroupCaseVisibility):
        post_save.connect(_forget, sender=model, dispatch_uid=f"staff-{model.__name__}-saved")
        post_delete.connect(_forget, sender=model, dispatch_uid=f"staff-{model.__name__}-deleted")
    for through in (user.groups.through, user.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_forget, sender=through, dispatch_uid=f"staff-{through.__name__}")
    post_migrate.connect(_forget, dispatch_uid="staff-migrated")
