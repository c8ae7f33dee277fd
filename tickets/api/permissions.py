from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from tickets.models import ApiKey


class ApiAccess(permissions.BasePermission):
    """API keys: read scope may only read. Dashboard sessions: agents and supervisors."""

    message = _("This API key may only read; writing needs a read-and-write key.")

    def has_permission(self, request, view) -> bool:
        if isinstance(request.auth, ApiKey):
            return request.method in permissions.SAFE_METHODS or (
                request.auth.scope == ApiKey.Scope.WRITE
            )
        user = request.user
        if not (user and user.is_authenticated):
            return False
        self.message = _("Your account has no access to cases.")
        return user.has_perm("tickets.view_case")
