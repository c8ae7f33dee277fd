"""`{% load agent_timeline %}`: the workspace's timeline entries, and the timeline's words for
who did something and how long ago, for the other agent pages."""

from datetime import datetime
from typing import Any

from django import template
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tickets.agent import workspace_timeline
from tickets.models import Compensation

register = template.Library()


@register.simple_tag
def timeline_entries(rows: list[dict[str, Any]]) -> SafeString:
    """The timeline's <li>s (tickets.agent.workspace_timeline.timeline_html)."""
    return workspace_timeline.timeline_html(rows)


@register.filter
def ago(value: datetime) -> str:
    """ "just now", "3 minutes ago": as the timeline says it."""
    return workspace_timeline.ago(value)


@register.filter
def person(user: AbstractBaseUser | None) -> str:
    """A user's full name, else their username; "" for none."""
    return workspace_timeline.person(user)


@register.filter
def proposer(compensation: Compensation) -> str:
    """Who proposed `compensation`: the agent's name, the customer (their choice in the
    portal) or the system."""
    if compensation.proposed_by is not None:
        return person(compensation.proposed_by)
    if compensation.proposed_by_customer:
        return pgettext("who proposed", "the customer")
    return _("the system")
