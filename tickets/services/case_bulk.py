"""Bulk actions of the case list: one action over many cases, each case in a transaction of its
own through the ordinary case services, so a case the state machine refuses is left as it was
and reported, and the others are done."""

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from tickets.errors import ApplicationError, InvalidTransition
from tickets.models import Case
from tickets.services.cases import case_assign, case_set_tags, case_transition
from tickets.services.timeline import Actor


@dataclass
class BulkResult:
    done: list[str] = field(default_factory=list)
    # (case number, why it was refused), for a person
    refused: list[tuple[str, str]] = field(default_factory=list)


def close_path(current: str) -> list[str]:
    """The statuses a case in `current` passes through to closed, by the fewest moves
    Case.TRANSITIONS allows ([] when already closed); raises InvalidTransition if none leads
    there."""
    target = Case.Status.CLOSED
    seen = {current: [str(current)]}
    todo = deque([current])
    while todo:
        status = todo.popleft()
        if status == target:
            return seen[status][1:]
        for step in sorted(Case.TRANSITIONS[status]):
            if step not in seen:
                seen[step] = [*seen[status], step]
                todo.append(step)
    raise InvalidTransition(current, target)


@transaction.atomic
def _close(*, case: Case, actor: Actor) -> Case:
    # All the moves or none: a case is never left resolved when closing it failed halfway.
    for step in close_path(case.status):
        case = case_transition(case=case, to=step, actor=actor, reason="bulk_close")
    return case


def _apply(case: Case, *, action: str, actor: Actor, **arguments: Any) -> None:
    if action == "assign":
        case_assign(case=case, assignee=arguments["assignee"], actor=actor)
    elif action == "status":
        case_transition(case=case, to=arguments["status"], actor=actor)
    elif action == "close":
        _close(case=case, actor=actor)
    elif action == "tag":
        names = [tag.name for tag in case.tags.all()]
        case_set_tags(case=case, names=[*names, arguments["tag"]], actor=actor)
    else:
        raise ValueError(action)


def cases_bulk_apply(
    *, cases: list[Case], action: str, actor: Actor, **arguments: Any
) -> BulkResult:
    """Apply `action` ("assign" with `assignee`, "status" with `status`, "close", "tag" with
    `tag`) to each of `cases`, each in its own transaction. A case the services refuse (a move
    the state machine does not allow, a scenario's guard, someone changed it meanwhile) keeps
    every field as it was and is listed in `refused` with the reason."""
    result = BulkResult()
    for case in cases:
        try:
            with transaction.atomic():
                _apply(case, action=action, actor=actor, **arguments)
        except ApplicationError as exc:
            result.refused.append((case.number, str(exc)))
        else:
            result.done.append(case.number)
    return result
