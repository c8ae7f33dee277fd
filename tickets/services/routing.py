"""Routing of new cases: a team by the first matching RoutingRule, then an agent of that team
round-robin; and the agents' away switch.

Below cases.py (case_create routes a case before it is saved); records nothing itself: the
case's creator writes the events."""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.models import AgentProfile, Case, RoutingRule, Team
from tickets.selectors import user_list_assignable
from tickets.services.timeline import Actor


def routing_team_for(*, kind: str, language: str, country: str) -> Team | None:
    """The team of the first active rule (by position) whose kind, language and country match
    (a blank field matches anything), or None. One query: the rules are a short table."""
    rules = (
        RoutingRule.objects.filter(active=True).select_related("team").order_by("position", "id")
    )
    for rule in rules:
        if rule.kind and rule.kind != kind:
            continue
        if rule.language and rule.language != language:
            continue
        if rule.country and rule.country.upper() != (country or "").upper():
            continue
        return rule.team
    return None


def routing_agent_for(*, team: Team) -> Actor:
    """The available member of `team` who waited longest for a case (AgentProfile
    last_routed_at, never first), stamped as given one now; None when nobody is available.

    Available: an active account that may work cases (tickets.view_case), not away. Call it
    inside the transaction that assigns the case: the chosen agent's profile row stays locked
    until then."""
    memberships = Team.members.through.objects.filter(
        team=team, user__in=user_list_assignable().order_by().values("pk")
    )
    members = memberships.values("user_id")
    # Profiles are made on demand: an agent who never used the switch is available.
    missing = memberships.filter(user__agent_profile__isnull=True).values_list("user_id", flat=True)
    AgentProfile.objects.bulk_create(
        [AgentProfile(user_id=pk) for pk in missing], ignore_conflicts=True
    )
    candidates = AgentProfile.objects.filter(user_id__in=members, away=False).order_by(
        F("last_routed_at").asc(nulls_first=True), "id"
    )
    # Two cases opened at once must not both go to the same agent: skip a profile another
    # transaction holds (it is being given a case) and take the next one in line; only when
    # every candidate is held, wait for the first.
    profile = (
        candidates.select_for_update(skip_locked=True).select_related("user").first()
        or candidates.select_for_update().select_related("user").first()
    )
    if profile is None:
        return None
    profile.last_routed_at = timezone.now()
    profile.save(update_fields=["last_routed_at"])
    return profile.user


@transaction.atomic
def agent_set_away(*, user: User, away: bool) -> AgentProfile:
    """Mark `user` away (routing gives them no new cases) or available again."""
    profile, _ = AgentProfile.objects.select_for_update().get_or_create(user=user)
    if profile.away == away:
        return profile
    profile.away = away
    profile.away_since = timezone.now() if away else None
    profile.save(update_fields=["away", "away_since"])
    return profile


def case_route(*, case: Case) -> list[str]:
    """Route a new (unsaved) case that came without a team: the team of the first matching
    rule, then, without an assignee, an agent of that team round-robin; returns the fields
    set. A case opened with a team (an agent chose it) is left as it is."""
    if case.team_id is not None:
        return []
    team = routing_team_for(
        kind=case.kind, language=case.language, country=str(case.customer.country or "")
    )
    if team is None:
        return []
    case.team = team
    if case.assignee_id is not None:
        return ["team"]
    agent = routing_agent_for(team=team)
    if agent is None:
        return ["team"]
    case.assignee = agent
    return ["team", "assignee"]
