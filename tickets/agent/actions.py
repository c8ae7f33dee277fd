"""The one way a scenario app's dashboard action admits its caller: a POST by a signed-in
agent who may view cases (and hold the action's own permissions), else 403 (405 for a GET)."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

View = Callable[..., HttpResponse]


def agent_action(*permissions: str) -> Callable[[View], View]:
    """A POST by a signed-in agent allowed to view cases (and `permissions`), else 403."""

    def decorate(view: View) -> View:
        return require_POST(
            login_required(
                permission_required(["tickets.view_case", *permissions], raise_exception=True)(view)
            )
        )

    return decorate


def acting_agent(request: HttpRequest) -> User:
    """The signed-in agent of a request agent_action let through."""
    assert isinstance(request.user, User)  # noqa: S101 - login_required ran first
    return request.user
