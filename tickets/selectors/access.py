"""Who sees which cases, and what a user may do: permissions, groups, roles, two-factor."""

from typing import Any
from uuid import uuid4

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets.models import (
    Case,
    CaseVisibility,
    GroupCaseVisibility,
    Team,
)
from tickets.models.access import VISIBILITY_WIDTH

from .cached import unless_cache_down

AnyUser = User | AnonymousUser
SUPERVISORS_GROUP = "Supervisors"

# --- who sees which cases ----------------------------------------------------------------------
# One rule, case_visible_to(), decides which cases a user sees; every read of cases or of rows
# that belong to a case (messages, events, attachments, notifications, the dashboard counts, the
# API, search) filters by it. tests/tickets/test_visibility_routes.py walks every URL with an id
# in it to hold that.


def _groups_of(user: AnyUser) -> list[tuple[str, str | None]]:
    """The names of `user`'s groups with each group's case visibility (None if unset). Kept on
    the user object for the rest of the request, as Django keeps its permissions, and read with
    them (user_permissions_with_groups) if the request has not checked those yet: one read
    answers who sees which cases, who is a supervisor, and what they may do."""
    if user.pk is None:
        return []
    if not hasattr(user, "_case_groups_cache"):
        user_permissions_with_groups(user=user)
    groups: list[tuple[str, str | None]] = user._case_groups_cache  # type: ignore[attr-defined]
    return groups


def case_visibility_of(*, user: AnyUser) -> str:
    """Which cases `user` sees, a CaseVisibility value: every case for supervisors and
    superusers, else the widest choice of their groups, else settings.CASE_VISIBILITY. One
    query at most per request."""
    if getattr(user, "is_superuser", False):
        return CaseVisibility.ALL
    groups = _groups_of(user)
    if any(name == SUPERVISORS_GROUP for name, _ in groups):
        return CaseVisibility.ALL
    chosen = [visibility for _, visibility in groups if visibility]
    if not chosen:
        return str(settings.CASE_VISIBILITY)
    widths: list[str] = list(VISIBILITY_WIDTH)
    return max(chosen, key=widths.index)


def case_visible_to(user: AnyUser, *, via: str = "") -> Q:
    """The cases `user` may see, as a filter on Case; with `via`, on a model that reaches its
    case by that lookup path ("case", "message__case"), rows without a case then hidden unless
    the user sees everything. Nobody signed in sees nothing."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    visibility = case_visibility_of(user=user)
    if visibility == CaseVisibility.ALL:
        return Q()
    path = f"{via}__" if via else ""
    rule = Q(**{f"{path}assignee": user.pk})
    if visibility == CaseVisibility.TEAMS:
        teams = Team.members.through.objects.filter(user_id=user.pk).values("team_id")
        rule |= Q(**{f"{path}team__in": teams})
        rule |= Q(**{f"{path}team__isnull": True, f"{path}assignee__isnull": True})
    if via:
        rule &= Q(**{f"{via}__isnull": False})
    return rule


def _with_visible_cases(user: AnyUser, *, via: str) -> Q:
    """Customers or orders (`via`: the case's field that points at them): those with no case
    yet (a case can be opened on them) or with a case `user` sees."""
    rule = case_visible_to(user)
    if rule == Q():
        return rule
    cases = Case.objects.filter(**{via: OuterRef("pk")})
    return Q(~Exists(cases)) | Q(Exists(cases.filter(rule)))


# A user's permissions and groups are read on every page and API call, and change a few times a
# year: they are kept in the cache, each entry stamped with the generation it was read in. A
# change to a group, a permission, a membership or a group's case visibility forgets the
# generation (tickets/receivers.py), which leaves every kept entry stale at once.
PERMISSIONS_GENERATION_KEY = "tickets:permissions-generation"
PERMISSIONS_SECONDS = 60
# What signed_in_user_get read of the user's kept permissions, on the user, for
# user_permissions_with_groups to take once.
_PERMISSIONS_KEPT = "_permissions_kept"


def _permissions_key(pk: Any) -> str:
    return f"tickets:permissions:{pk}"


def user_permissions_with_groups(*, user: User) -> set[str]:
    """`user`'s permissions, their own and their groups', as "app_label.codename", from the
    cache or else read (what Django's ModelBackend reads in two queries) in one query with the
    user's groups, which it keeps on `user` for case_visibility_of and user_is_supervisor (as
    _groups_of). While the cache cannot be reached it reads them every time, and says so."""
    key = _permissions_key(user.pk)
    # Read with the signed-in user when it was (signed_in_user_get): one round trip for both.
    kept = user.__dict__.pop(_PERMISSIONS_KEPT, None)
    if kept is None:
        kept = unless_cache_down(
            lambda: cache.get_many([PERMISSIONS_GENERATION_KEY, key]), what="Permissions read"
        )
    generation = kept.get(PERMISSIONS_GENERATION_KEY) if kept else None
    entry = kept.get(key) if kept else None
    permissions: set[str]
    groups: list[tuple[str, str | None]]
    if generation is not None and entry is not None and entry[0] == generation:
        _, permissions, groups = entry
    else:
        permissions, groups = _permissions_read(user)
        if kept is not None:
            unless_cache_down(
                lambda: _permissions_keep(key, generation, permissions, groups),
                what="Permissions read",
            )
    user._case_groups_cache = groups  # type: ignore[attr-defined]
    return permissions


def _permissions_keep(
    key: str, generation: str | None, permissions: set[str], groups: list[tuple[str, str | None]]
) -> None:
    if generation is None:
        # The first read since a change: start a generation, unless a request just did.
        generation = uuid4().hex
        if not cache.add(PERMISSIONS_GENERATION_KEY, generation, timeout=None):
            generation = cache.get(PERMISSIONS_GENERATION_KEY)
    cache.set(key, (generation, permissions, groups), PERMISSIONS_SECONDS)


def permissions_forget() -> None:
    """Make every kept permission set stale; the next request of each user reads theirs."""
    cache.delete(PERMISSIONS_GENERATION_KEY)


def _permissions_read(user: User) -> tuple[set[str], list[tuple[str, str | None]]]:
    # Plain SQL: the ORM takes as long to build this query as the database to answer it.
    # Subqueries rather than joins of both many-to-many tables, which would multiply the rows
    # by every holder of each permission.
    own = User.user_permissions.through._meta.db_table
    of_groups = Group.permissions.through._meta.db_table
    memberships = User.groups.through._meta.db_table
    sql = (
        f"SELECT 'p', ct.app_label || '.' || p.codename, NULL"  # noqa: S608
        f" FROM {Permission._meta.db_table} p"
        f" JOIN {ContentType._meta.db_table} ct ON ct.id = p.content_type_id"
        f" WHERE p.id IN (SELECT permission_id FROM {own} WHERE user_id = %s)"
        f" OR p.id IN (SELECT gp.permission_id FROM {of_groups} gp"
        f" JOIN {memberships} m ON m.group_id = gp.group_id WHERE m.user_id = %s)"
        f" UNION ALL SELECT 'g', g.name, v.visibility FROM {Group._meta.db_table} g"
        f" JOIN {memberships} m ON m.group_id = g.id"
        f" LEFT JOIN {GroupCaseVisibility._meta.db_table} v ON v.group_id = g.id"
        f" WHERE m.user_id = %s"
    )
    with connections[Permission.objects.db].cursor() as cursor:
        cursor.execute(sql, [user.pk] * 3)
        rows = cursor.fetchall()
    groups = [(name, visibility) for kind, name, visibility in rows if kind == "g"]
    return {name for kind, name, _ in rows if kind == "p"}, groups


def user_is_supervisor(*, user: User) -> bool:
    """Whether `user` is a superuser or in the Supervisors group (one query at most)."""
    if getattr(user, "is_superuser", False):
        return True
    return any(name == SUPERVISORS_GROUP for name, _ in _groups_of(user))


def user_list_assignable() -> QuerySet[AbstractBaseUser]:
    """Active accounts that may work cases (tickets.view_case through a group, directly, or as
    a superuser): the people a case can be assigned to."""
    view_case = Q(codename="view_case", content_type__app_label="tickets")
    permission_ids = Permission.objects.filter(view_case).values("pk")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=permission_ids)
            | Q(user_permissions__in=permission_ids)
        )
        .distinct()
        .order_by("pk")
    )


# --- two-factor sign-in -----------------------------------------------------------------------


def user_totp_device(*, user: AnyUser) -> TOTPDevice | None:
    """`user`'s confirmed TOTP device (the one the login asks a code of), or None."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user.pk, confirmed=True).order_by("pk").first()


# The attribute PermissionBackend.get_user annotates the signed-in user with.
HAS_TOTP_DEVICE = "has_totp_device"


# The signed-in user is read on every page and API call, with their agent profile (the away
# switch) and whether they have a confirmed two-factor device: kept this long. A change to the
# account, to its availability or to its devices forgets it (tickets/receivers.py), at once and
# again on commit, so a deactivated account or a new password counts from the next request.
SIGNED_IN_USER_SECONDS = 60


def _signed_in_key(pk: Any) -> str:
    return f"tickets:signed-in-user:{pk}"


def signed_in_user_get(*, pk: Any) -> User | None:
    """The user `pk` as a request signs them in (None if there is none), with their agent
    profile and whether they have a confirmed TOTP device (HAS_TOTP_DEVICE): from the cache,
    else one query. Whether they may sign in at all (is_active) is the caller's to decide."""
    key = _signed_in_key(pk)
    # The user's kept permissions come in the same round trip, for the permission check.
    permission_keys = [PERMISSIONS_GENERATION_KEY, _permissions_key(pk)]
    kept = unless_cache_down(
        lambda: cache.get_many([key, *permission_keys]), what="Signed-in user read"
    )
    user: User | None = kept.pop(key, None) if kept else None
    if user is None:
        try:
            user = (
                User.objects.select_related("agent_profile")
                .annotate(**{HAS_TOTP_DEVICE: user_totp_device_exists()})
                .get(pk=pk)
            )
        except (User.DoesNotExist, ValueError, TypeError):
            return None
        unless_cache_down(
            lambda: cache.set(key, user, SIGNED_IN_USER_SECONDS), what="Signed-in user read"
        )
    if kept is not None:
        setattr(user, _PERMISSIONS_KEPT, kept)
    return user


def signed_in_user_forget(*, pk: Any) -> None:
    """Forget the kept user `pk`: their next request reads them again."""
    unless_cache_down(lambda: cache.delete(_signed_in_key(pk)), what="Signed-in user forgotten")


def user_totp_device_exists() -> Exists:
    """Whether the user of the outer query has a confirmed TOTP device (an annotation)."""
    return Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))


def user_has_totp_device(*, user: AnyUser) -> bool:
    """Whether `user` has a confirmed TOTP device: read with the signed-in user
    (PermissionBackend.get_user), else asked (one query)."""
    known = getattr(user, HAS_TOTP_DEVICE, None)
    if known is not None:
        return bool(known)
    return user_totp_device(user=user) is not None


def user_must_enrol_two_factor(*, user: AnyUser) -> bool:
    """Whether `user` has to set up two-factor sign-in before anything else: a supervisor (or
    superuser) while TWO_FACTOR_REQUIRED_FOR_SUPERVISORS is on."""
    return bool(
        settings.TWO_FACTOR_REQUIRED_FOR_SUPERVISORS
        and user.is_authenticated
        and isinstance(user, User)
        and user_is_supervisor(user=user)
    )
