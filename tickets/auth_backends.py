"""The project's permission backend: Django's ModelBackend, with a user's permission set read
in one query instead of two, and the signed-in user kept in the cache between requests."""

from django.contrib.auth.backends import ModelBackend

from tickets import selectors


class PermissionBackend(ModelBackend):
    """ModelBackend whose permission set (the user's own and their groups') is one query.

    Django's rules hold as they are: an inactive or anonymous user has no permission, a
    superuser every one, and the set is kept on the user object (`_perm_cache`) for the rest of
    the request. get_user_permissions and get_group_permissions stay Django's own."""

    def get_user(self, user_id):
        # The dashboard header's away switch reads the agent's profile on every page, and the
        # two-factor middleware whether the user has a device: both come with the user, which
        # is kept in the cache between requests (selectors.signed_in_user_get).
        user = selectors.signed_in_user_get(pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and obj is None
            and not hasattr(user_obj, "_perm_cache")
        ):
            user_obj._perm_cache = selectors.user_permissions_with_groups(user=user_obj)
        return super().get_all_permissions(user_obj, obj)
