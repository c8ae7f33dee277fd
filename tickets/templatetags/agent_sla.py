"""`{% load agent_sla %}`: SLA badges (grey while there is time, amber within the hour, red
when breached)."""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

AMBER_WITHIN = dt.timedelta(hours=1)


def request_now(context: template.Context) -> dt.datetime:
    """One `now` per request, so that every badge of a page measures from the same instant."""
    request = context.get("request")
    if request is None:
        return timezone.now()
    if not hasattr(request, "_sla_now"):
        request._sla_now = timezone.now()
    return request._sla_now


def sla_duration(delta: dt.timedelta) -> str:
    """`delta` in at most two units: "3 d 4 h", "2 h 10 m", "35 m"; a minus sign when past."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        text = _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    elif hours:
        text = _("%(hours)d h %(minutes)d m") % {"hours": hours, "minutes": minutes}
    else:
        text = _("%(minutes)d m") % {"minutes": minutes}
    return f"\N{MINUS SIGN}{text}" if delta < dt.timedelta() and minutes + hours + days else text


def _when(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")


@register.simple_tag(takes_context=True)
def sla_badge(context: template.Context, case) -> SafeString | str:
    """The SLA badge of `case`: time left or time over ("2 h 10 m", "−35 m"), "paused" while
    the clocks stand still, nothing when no target runs. Reads the case's own fields only."""
    if case.sla_paused_at is not None and case.status in case.ACTIVE_STATUSES:
        return format_html(
            '<span class="sla sla-paused" title="{}">{}</span>',
            _("Paused since %(time)s") % {"time": _when(case.sla_paused_at)},
            _("paused"),
        )
    if case.sla_due is None:
        return ""
    left = case.sla_due - request_now(context)
    if left < dt.timedelta():
        state, label = "sla sla-red", _("Breached, was due %(time)s")
    elif left < AMBER_WITHIN:
        state, label = "sla sla-amber", _("Due %(time)s")
    else:
        state, label = "sla", _("Due %(time)s")
    return format_html(
        '<span class="{}" title="{}">{}</span>',
        state,
        label % {"time": _when(case.sla_due)},
        sla_duration(left),
    )
