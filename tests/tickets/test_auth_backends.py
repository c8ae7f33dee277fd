"""The permission backend reads a user's permission set in one query and answers as Django's
ModelBackend does; the set is kept in the cache until a change to permissions or groups."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from tests.tickets.factories import UserFactory, agent, superuser, totp_device
from tickets import selectors
from tickets.auth_backends import PermissionBackend
from tickets.models import AgentProfile, GroupCaseVisibility
from tickets.services.routing import agent_set_away

pytestmark = pytest.mark.django_db


def permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename, content_type__app_label="tickets")


def with_user_perms(user) -> None:
    user.user_permissions.add(permission("view_case"), permission("add_message"))


def with_group_perms(user) -> None:
    group = Group.objects.create(name="Readers")
    group.permissions.add(permission("view_case"), permission("view_caseevent"))
    user.groups.add(group)


def fresh(user):
    """The user read again, as a request reads it: no permission cached yet."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize(
    "grant",
    [
        pytest.param((with_user_perms,), id="own"),
        pytest.param((with_group_perms,), id="groups"),
        pytest.param((with_user_perms, with_group_perms), id="both"),
        pytest.param((), id="none"),
    ],
)
@pytest.mark.parametrize("active", [True, False], ids=["active", "inactive"])
def test_the_permission_set_is_djangos_in_one_query(grant, active, django_assert_num_queries):
    # given a user with permissions of their own, through a group, both or none
    user = UserFactory(is_active=active)
    for give in grant:
        give(user)
    expected = ModelBackend().get_all_permissions(fresh(user))
    # when the project's backend reads the set
    user = fresh(user)
    with django_assert_num_queries(1 if active else 0):
        permissions = PermissionBackend().get_all_permissions(user)
    # then it is Django's (an inactive user has none), and later checks cost nothing
    assert permissions == expected
    assert bool(permissions) == (active and bool(grant))
    with django_assert_num_queries(0):
        assert PermissionBackend().has_perm(user, "tickets.view_case") == (active and bool(grant))
        assert not PermissionBackend().has_perm(user, "tickets.delete_case")


def test_a_superuser_has_every_permission_as_with_django():
    # given a superuser with no permission granted
    root = superuser(username="root")
    # then the project's backend gives every permission, as Django's does
    assert PermissionBackend().get_all_permissions(fresh(root)) == (
        ModelBackend().get_all_permissions(fresh(root))
    )
    assert fresh(root).has_perm("tickets.delete_case")


def test_user_has_perm_goes_through_the_backend(django_assert_num_queries):
    # given a user whose rights come from their own permissions and a group's
    user = UserFactory()
    with_user_perms(user)
    with_group_perms(user)
    user = fresh(user)
    # when the request checks three permissions then the set is read once
    with django_assert_num_queries(1):
        assert user.has_perms(["tickets.view_case", "tickets.add_message"])
        assert user.has_perm("tickets.view_caseevent")
    assert not user.has_perm("tickets.delete_case")


def test_visibility_and_the_supervisor_check_share_one_read_of_the_groups(
    django_assert_num_queries,
):
    # given a supervisor
    boss = UserFactory(groups=["Supervisors"])
    # when a request decides both what they see and whether they supervise
    with django_assert_num_queries(1):
        assert selectors.case_visibility_of(user=boss) == "all"
        assert selectors.user_is_supervisor(user=boss)
    # then a user read afresh (the next request) reads the groups again
    plain = fresh(boss)
    plain.groups.clear()
    assert not selectors.user_is_supervisor(user=plain)


def test_the_permission_check_reads_the_groups_visibility_needs(
    settings, django_assert_num_queries
):
    # given a user in a group that sees every case and one in a group with no rule of its own
    settings.CASE_VISIBILITY = "own"
    wide = Group.objects.create(name="Wide")
    GroupCaseVisibility.objects.create(group=wide, visibility="all")
    seer, plain = UserFactory(username="seer"), UserFactory(username="plain")
    seer.groups.add(wide)
    with_group_perms(plain)
    expected = {
        user.username: selectors.case_visibility_of(user=fresh(user)) for user in (seer, plain)
    }
    cache.clear()  # nothing kept, as at a request after a change
    for user in (fresh(seer), fresh(plain)):
        # when a request has checked a permission (one query)
        with django_assert_num_queries(1):
            user.has_perm("tickets.view_case")
        # then what the user sees and whether they supervise cost no further query
        with django_assert_num_queries(0):
            assert selectors.case_visibility_of(user=user) == expected[user.username]
            assert not selectors.user_is_supervisor(user=user)
    assert expected == {"seer": "all", "plain": "own"}


def test_the_signed_in_user_comes_with_whether_they_have_a_device(django_assert_num_queries):
    alice, ben = agent(username="alice"), agent(username="ben")
    totp_device(alice)
    backend = PermissionBackend()
    with django_assert_num_queries(2):
        loaded = {user.username: backend.get_user(user.pk) for user in (alice, ben)}
    with django_assert_num_queries(0):
        assert selectors.user_has_totp_device(user=loaded["alice"])
        assert not selectors.user_has_totp_device(user=loaded["ben"])
    # a user loaded otherwise is asked
    plain = get_user_model().objects.get(pk=alice.pk)
    with django_assert_num_queries(1):
        assert selectors.user_has_totp_device(user=plain)


def test_the_next_request_reads_the_kept_set(settings, django_assert_num_queries):
    settings.CASE_VISIBILITY = "own"
    # given a user whose set a request has read
    user = UserFactory()
    with_group_perms(user)
    first = PermissionBackend().get_all_permissions(fresh(user))
    # when the next request (a user read afresh) checks a permission and what they see
    later = fresh(user)
    with django_assert_num_queries(0):
        assert PermissionBackend().get_all_permissions(later) == first
        assert selectors.case_visibility_of(user=later) == "own"
    assert first == {"tickets.view_case", "tickets.view_caseevent"}


def _readers() -> Group:
    return Group.objects.get(name="Readers")


@pytest.mark.parametrize(
    "change, view_case",
    [
        pytest.param(
            lambda user: _readers().permissions.remove(permission("view_case")),
            False,
            id="the group lost a permission",
        ),
        pytest.param(
            lambda user: _readers().permissions.add(permission("change_case")),
            True,
            id="the group gained a permission",
        ),
        pytest.param(lambda user: user.groups.clear(), False, id="left the group"),
        pytest.param(lambda user: _readers().delete(), False, id="the group was deleted"),
        pytest.param(
            lambda user: user.user_permissions.add(permission("change_case")),
            True,
            id="a permission of their own",
        ),
        pytest.param(
            lambda user: permission("view_case").delete(), False, id="the permission was deleted"
        ),
    ],
)
def test_a_change_counts_at_the_next_request(change, view_case):
    # given a user in a group, their set kept by a request
    user = UserFactory()
    with_group_perms(user)
    assert fresh(user).has_perm("tickets.view_case")
    # when their permissions or groups change
    change(user)
    # then the next request reads the set as it is now, as Django's backend does
    assert fresh(user).has_perm("tickets.view_case") is view_case
    assert PermissionBackend().get_all_permissions(fresh(user)) == (
        ModelBackend().get_all_permissions(fresh(user))
    )


def test_a_group_given_wider_visibility_counts_at_the_next_request(settings):
    settings.CASE_VISIBILITY = "own"
    user = UserFactory()
    with_group_perms(user)
    assert selectors.case_visibility_of(user=fresh(user)) == "own"
    GroupCaseVisibility.objects.create(group=_readers(), visibility="all")
    assert selectors.case_visibility_of(user=fresh(user)) == "all"


def test_the_commit_of_a_change_forgets_again_what_was_kept_meanwhile(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    # given a change, and a request that kept a set before the change's transaction committed
    # (which, on another connection, would have read the old one)
    user = UserFactory()
    with_group_perms(user)
    with django_capture_on_commit_callbacks() as commit:
        _readers().permissions.remove(permission("view_case"))
        fresh(user).has_perm("tickets.view_case")
    kept = fresh(user)
    with django_assert_num_queries(0):
        kept.has_perm("tickets.view_case")
    # when the transaction commits then the next request reads the set again
    for callback in commit:
        callback()
    again = fresh(user)
    with django_assert_num_queries(1):
        assert not again.has_perm("tickets.view_case")


def test_permissions_are_read_while_the_cache_is_down(caplog, cache_down):
    # given a cache that is a Redis nobody listens on
    user = UserFactory()
    with_group_perms(user)
    cache_down()
    # when a request checks a permission then it is answered from the database, and logged
    with caplog.at_level(logging.WARNING, logger="tickets.selectors.cached"):
        assert fresh(user).has_perm("tickets.view_case")
    assert "Permissions read without the cache" in caplog.text


# --- the signed-in user, kept between requests -------------------------------------------------


def test_the_next_request_reads_the_kept_user(django_assert_num_queries):
    # given Alice signed in by a request
    alice = agent(username="alice")
    backend = PermissionBackend()
    assert backend.get_user(alice.pk) is not None
    # when the next request signs her in then the database is not asked
    with django_assert_num_queries(0):
        again = backend.get_user(str(alice.pk))  # the session keeps the id as text
    assert again.username == "alice"
    assert not selectors.user_has_totp_device(user=again)


class CacheReads:
    """The cache as the selectors use it, counting the reads made through it."""

    def __init__(self) -> None:
        self.reads: list[tuple] = []

    def __getattr__(self, name):
        attr = getattr(cache, name)
        if name not in ("get", "get_many"):
            return attr

        def read(*args, **kwargs):
            self.reads.append(args)
            return attr(*args, **kwargs)

        return read


def test_the_kept_user_and_their_kept_permissions_come_in_one_read_of_the_cache(
    monkeypatch, django_assert_num_queries
):
    # given Alice signed in and her permissions checked once, so both are kept
    alice = agent(username="alice")
    backend = PermissionBackend()
    assert backend.get_user(alice.pk).has_perm("tickets.view_case")
    spy = CacheReads()
    monkeypatch.setattr("tickets.selectors.access.cache", spy)
    # when the next request signs her in and checks a permission
    with django_assert_num_queries(0):
        assert backend.get_user(str(alice.pk)).has_perm("tickets.view_case")
    # then the cache was read once, for both
    assert len(spy.reads) == 1
    # and a permission check of a user read otherwise reads the kept permissions itself
    user = fresh(alice)
    with django_assert_num_queries(0):
        assert user.has_perm("tickets.view_case")
    assert len(spy.reads) == 2


def _deactivate(user):
    user.is_active = False
    user.save()


def _rename(user):
    user.first_name = "Alicia"
    user.save()


def _new_password(user):
    user.set_password("another one")
    user.save()


@pytest.mark.parametrize(
    "change, still",
    [
        pytest.param(_deactivate, lambda user: user is None, id="deactivated"),
        pytest.param(lambda user: user.delete(), lambda user: user is None, id="deleted"),
        pytest.param(_rename, lambda user: user.first_name == "Alicia", id="renamed"),
        pytest.param(
            _new_password, lambda user: user.check_password("another one"), id="new password"
        ),
        pytest.param(
            lambda user: agent_set_away(user=user, away=True),
            lambda user: user.agent_profile.away,
            id="went away",
        ),
        pytest.param(
            lambda user: totp_device(user),
            lambda user: selectors.user_has_totp_device(user=user),
            id="set up two-factor sign-in",
        ),
    ],
)
def test_a_change_to_the_account_counts_at_the_next_request(change, still):
    # given Alice signed in by a request, kept
    alice = agent(username="alice")
    backend = PermissionBackend()
    assert backend.get_user(alice.pk) is not None
    # when her account, her availability or her devices change
    change(get_user_model().objects.get(pk=alice.pk))
    # then the next request signs in the account as it is now
    assert still(backend.get_user(alice.pk))


def test_a_removed_device_counts_at_the_next_request():
    alice = agent(username="alice")
    device = totp_device(alice)
    assert selectors.user_has_totp_device(user=PermissionBackend().get_user(alice.pk))
    device.delete()
    assert not selectors.user_has_totp_device(user=PermissionBackend().get_user(alice.pk))


def test_routing_a_case_to_an_agent_keeps_the_kept_user(django_assert_num_queries):
    # given Alice kept, with a profile
    alice = agent(username="alice")
    agent_set_away(user=alice, away=False)
    backend = PermissionBackend()
    backend.get_user(alice.pk)
    # when routing stamps her profile with the case it gave her
    profile = AgentProfile.objects.get(user=alice)
    profile.save(update_fields=["last_routed_at"])
    # then she is still kept
    with django_assert_num_queries(0):
        backend.get_user(alice.pk)


def test_the_commit_of_an_account_change_forgets_the_user_kept_meanwhile(
    django_capture_on_commit_callbacks,
):
    # given a deactivation, and a request that kept Alice before its transaction committed
    alice = agent(username="alice")
    backend = PermissionBackend()
    with django_capture_on_commit_callbacks() as commit:
        _deactivate(get_user_model().objects.get(pk=alice.pk))
        get_user_model().objects.filter(pk=alice.pk).update(is_active=True)
        backend.get_user(alice.pk)  # kept as still active
        get_user_model().objects.filter(pk=alice.pk).update(is_active=False)
    assert backend.get_user(alice.pk) is not None
    # when the transaction commits then the next request reads her again
    for callback in commit:
        callback()
    assert backend.get_user(alice.pk) is None


def test_the_user_is_signed_in_while_the_cache_is_down(caplog, cache_down):
    alice = agent(username="alice")
    cache_down()
    with caplog.at_level(logging.WARNING, logger="tickets.selectors.cached"):
        assert PermissionBackend().get_user(alice.pk).username == "alice"
    assert "Signed-in user read without the cache" in caplog.text


@pytest.mark.parametrize("pk", ["not a number", "", None])
def test_a_session_with_a_bad_user_id_signs_nobody_in(pk):
    assert PermissionBackend().get_user(pk) is None
