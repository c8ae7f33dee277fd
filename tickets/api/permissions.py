"""Who may call an endpoint. An API key acts with its user's rights, as a dashboard session does:
the user must be active (tickets.api.authentication refuses a deactivated account's key) and
hold the Django permissions the endpoint needs; a read key, besides, only reads.

Each viewset declares what its actions need in `required_permissions`:

| endpoint | needs |
| --- | --- |
| customers: list, get | tickets.view_customer |
| orders: list, get | tickets.view_order |
| orders: upsert | tickets.add_order, change_order, add_customer, change_customer |
| cases: list, get | tickets.view_case |
| cases: open | tickets.add_case |
| cases: change priority or assignee, move status | tickets.change_case |
| a case's messages: list | tickets.view_case, view_message |
| a case's messages: reply or note | tickets.view_case, add_message |
| a case's timeline | tickets.view_case, view_caseevent |
| a case's compensations: list, get | tickets.view_case, view_compensation |
| a case's compensations: propose | tickets.view_case, add_compensation |
| a case's compensations: approve, reject, issue, fail, cancel | view_case, change_compensation |

Approving a compensation above COMPENSATION_APPROVAL_THRESHOLD also needs
tickets.approve_compensation, which the service checks (it knows the amount).

An action a viewset does not declare needs tickets.view_case to read and tickets.change_case to
write. Which cases the user sees is a separate rule (selectors.case_visible_to): a case outside
it is a 404, as if it did not exist."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import permissions

from tickets.models import ApiKey

READ_DEFAULT = ("tickets.view_case",)
WRITE_DEFAULT = ("tickets.change_case",)


def required_permissions(request, view) -> tuple[str, ...]:
    declared: dict[str, tuple[str, ...]] = getattr(view, "required_permissions", {})
    action = getattr(view, "action", None)
    if action in declared:
        return tuple(declared[action])
    return READ_DEFAULT if request.method in permissions.SAFE_METHODS else WRITE_DEFAULT


class ApiAccess(permissions.BasePermission):
    message = gettext_lazy("You may not do this.")

    def has_permission(self, request, view) -> bool:
        api_key = request.auth if isinstance(request.auth, ApiKey) else None
        if (
            api_key is not None
            and request.method not in permissions.SAFE_METHODS
            and api_key.scope != ApiKey.Scope.WRITE
        ):
            self.message = _("This API key may only read; writing needs a read-and-write key.")
            return False
        user = request.user
        if not (user and user.is_authenticated):
            return False
        missing = [name for name in required_permissions(request, view) if not user.has_perm(name)]
        if not missing:
            return True
        names = ", ".join(missing)
        if api_key is not None:
            self.message = _(
                "This API key acts as %(user)s, who has no access to this: the account lacks "
                "the permission %(permissions)s. Give it that permission (e.g. through a "
                "group) or use another key."
            ) % {"user": user.get_username(), "permissions": names}
        else:
            self.message = _(
                "Your account has no access to this: it lacks the permission %(permissions)s."
            ) % {"permissions": names}
        return False
