"""The one way a scenario app's dashboard action admits its caller (a POST by a signed-in agent
who may view cases and holds the action's own permissions, else 403; 405 for a GET) and answers
(303 back with a message, or the refusal page)."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from tickets.agent.links import see_other
from tickets.agent.refusals import refused, refused_for, validation_problems
from tickets.errors import ApplicationError

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


def action_attempt(
    request: HttpRequest, back: str, call: Callable[[], object], done: str
) -> HttpResponse:
    """Run `call`; 303 back to `back` with `done` as the message, or the refusal page (400 for
    invalid values, the error's own status for a refused action)."""
    try:
        call()
    except ValidationError as exc:
        return refused(request, validation_problems(exc), back=back, status=400)
    except ApplicationError as exc:
        return refused_for(request, exc, back=back)
    messages.success(request, done)
    return see_other(back)
