"""How a dashboard action says no: a 4xx page naming why, with the way back and nothing
changed. Every agent action that posts a form uses these (compensations here, and scenario
apps' panel actions such as the shipments' lost-parcel forms)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tickets.api.errors import domain_status
from tickets.errors import ApplicationError


def refused(request: HttpRequest, problems: list[str], *, back: str, status: int) -> HttpResponse:
    """A page saying why nothing was done, with the way back."""
    return render(
        request,
        "tickets/agent/compensation_refused.html",
        {"problems": problems, "back": back},
        status=status,
    )


def refused_for(request: HttpRequest, exc: ApplicationError, *, back: str) -> HttpResponse:
    """The refusal page for a domain error, with the API's status for it (403, 409, else 400)."""
    return refused(request, [str(exc)], back=back, status=domain_status(exc))


def validation_problems(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [message for messages_ in exc.message_dict.values() for message in messages_]
    return list(exc.messages)


def form_problems(form: Any) -> list[str]:
    """Each error of a bound form, prefixed with its field's label."""
    return [
        f"{form.fields[name].label}: {error}" if name in form.fields else str(error)
        for name, errors in form.errors.items()
        for error in errors
    ]
