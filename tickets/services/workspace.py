"""The workspace's controls: an agent changes assignee, priority, team and status of a case in
one go, as they saw it (its version), through the case services: all of it or nothing."""

from typing import cast

from django.db import transaction

from tickets.models import Case, Team
from tickets.services.cases import (
    UNCHANGED,
    case_set_team,
    case_transition,
    case_update,
)
from tickets.services.timeline import Actor


@transaction.atomic
def case_controls_apply(
    *,
    case: Case,
    version: int,
    actor: Actor,
    assignee: Actor | object = UNCHANGED,
    priority: str | None = None,
    team: Team | None | object = UNCHANGED,
    status: str | None = None,
) -> Case:
    """Apply what changed of assignee, priority, team and status to `case` as the agent saw it
    at `version`; leave the rest. The status moves last, so a guard sees the new assignee.

    Raises StaleVersion when the case changed since `version` (nothing is written),
    InvalidTransition and TransitionRefused for a move the state machine or the case's scenario
    refuses, ValidationError for an unknown priority; every refusal writes nothing."""
    case.version = version
    if priority == case.priority:
        priority = None
    # `assignee` and `team` are UNCHANGED, None (nobody, no team), or a user and a team.
    if assignee is not UNCHANGED and getattr(assignee, "pk", None) != case.assignee_id:
        new_assignee = cast(Actor, assignee)
        case = case_update(case=case, actor=actor, priority=priority, assignee=new_assignee)
    else:
        case = case_update(case=case, actor=actor, priority=priority)
    if team is not UNCHANGED and getattr(team, "pk", None) != case.team_id:
        case = case_set_team(case=case, team=cast(Team | None, team), actor=actor)
    if status and status != case.status:
        case = case_transition(case=case, to=status, actor=actor)
    return case
