"""The workspace's timeline, drawn: readable words for its case events and notifications, and
its entries as HTML (presentation only)."""

from datetime import datetime
from functools import lru_cache
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import avoid_wrapping
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timesince import TIME_STRINGS
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from tickets.agent.html import html_format
from tickets.models import Case, CaseEvent, Notification
from tickets.selectors.workspace import notification_waits_for_quiet_hours
from tickets.services.timeline import by_system, verb_choices

# One small symbol per kind of event; anything else gets a dot.
ICONS = {
    "created": "+",
    "status_changed": "⇄",
    "assigned": "@",
    "team_changed": "⚑",
    "priority_changed": "!",
    "tags_changed": "#",
    "rated": "★",
    "sms_consent_withdrawn": "✕",
    "notification_unconfirmed": "?",
    "notification_held": "⏸",
    "notification_retried": "↻",
}


# The units of "… ago", largest first, in seconds (a month is 30 days, a year 365: the
# timeline says "2 months ago", not the exact calendar span).
_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("week", 7 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)


def ago(value: datetime, now: datetime | None = None) -> str:
    """ "3 hours ago", "just now": how long ago `value` was (before `now`), to one unit."""
    seconds = ((now or timezone.now()) - value).total_seconds()
    if seconds < 60:
        return _("just now")
    unit, size = next((unit, size) for unit, size in _UNITS if seconds >= size)
    return _ago_words(get_language(), unit, int(seconds // size))


@lru_cache(maxsize=1024)
def _ago_words(language: str, unit: str, count: int) -> str:
    """ "2 weeks ago" in `language` (the active one: part of the key only), translated once
    per process: a timeline of 200 entries says the same few ages over and over."""
    span = avoid_wrapping(TIME_STRINGS[unit] % {"num": count})
    return _("%(time)s ago") % {"time": span}


def person(user: AbstractBaseUser | None) -> str:
    if user is None:
        return ""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return str(full_name or user.get_username())


def actor_name(event: CaseEvent) -> str:
    """Who made `event`: a person's name, "System", "Customer", or "Agent" for an agent whose
    account is gone (timeline.BY_PEOPLE)."""
    if event.actor_id is not None:
        return person(event.actor)
    if by_system(event):
        return _("System")
    return _("Agent") if event.data.get("by") == "agent" else _("Customer")


def _label(choices: Any, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "—")


def event_icon(event: CaseEvent) -> str:
    if event.verb.startswith("compensation_"):
        return "¤"
    return ICONS.get(event.verb, "•")


def event_words(
    event: CaseEvent,
    *,
    users: dict[int, AbstractBaseUser] | None = None,
    teams: dict[int, str] | None = None,
) -> str:
    """What `event` did, in a few words ("Status: Open → Resolved")."""
    data, verb = event.data, event.verb
    users, teams = users or {}, teams or {}
    if verb == "created":
        return _("Case opened (%(channel)s)") % {
            "channel": _label(Case.Channel, data.get("channel"))
        }
    if verb == "status_changed":
        return _("Status: %(previous)s → %(status)s") % {
            "previous": _label(Case.Status, data.get("previous")),
            "status": _label(Case.Status, data.get("status")),
        }
    if verb == "assigned":
        assignee = users.get(data.get("assignee") or 0)
        if data.get("assignee") is None:
            # The event (the case lost its assignee), not the state the home page counts.
            return pgettext("timeline event", "Unassigned")
        return _("Assigned to %(name)s") % {"name": person(assignee) or f"#{data['assignee']}"}
    if verb == "team_changed":
        if data.get("team") is None:
            return _("Team removed")
        return _("Team: %(team)s") % {"team": teams.get(data["team"], f"#{data['team']}")}
    if verb == "priority_changed":
        return _("Priority: %(previous)s → %(priority)s") % {
            "previous": _label(Case.Priority, data.get("previous")),
            "priority": _label(Case.Priority, data.get("priority")),
        }
    if verb == "tags_changed":
        changes = [f"+{name}" for name in data.get("added", [])]
        changes += [f"−{name}" for name in data.get("removed", [])]
        return _("Tags: %(changes)s") % {"changes": " ".join(changes)}
    if verb == "rated":
        return _("Rated %(score)s of 5 by the customer") % {"score": data.get("score")}
    label = dict(verb_choices()).get(verb, verb)
    if verb.startswith("compensation_") and data.get("amount"):
        return f"{label}: {data['amount']} {data.get('currency', '')}".strip()
    if verb.startswith("notification_") and data.get("recipient"):
        return f"{label}: {data['recipient']}"
    return str(label)


def notification_state(notification: Notification) -> tuple[str, str]:
    """(css modifier, words) for a notification's delivery state."""
    if notification_waits_for_quiet_hours(notification):
        return "quiet", _("waiting for quiet hours to end")
    status = notification.status
    if status == Notification.Status.PENDING:
        return "queued", _("queued")
    if status == Notification.Status.SENT:
        # The state, not the "sent" (at) of the notifications' columns.
        return "sent", pgettext("delivery state", "sent")
    if status == Notification.Status.FAILED:
        return "failed", _("failed")
    return "held", _("held for a person")


# The timeline's entries as HTML, drawn here rather than by a template: at 200 entries a
# template's lookup and escape per field cost more than reading them.
MESSAGE_HTML = (
    '<li class="ws-message ws-message-{visibility} ws-author-{author}">'
    '<div class="ws-message-meta"><strong>{who}</strong>{internal} '
    '<time datetime="{at_iso}">{ago}</time></div>'
    '<div class="ws-message-body">{body}</div>{attachments}</li>'
)
IMAGE_HTML = '<li><a href="{0}"><img src="{0}" alt="{1}" loading="lazy"></a></li>'
FILE_HTML = '<li><a href="{}">{}</a> <small>{}</small></li>'
EVENT_HTML = (
    '<li class="ws-event"><span class="ws-icon" aria-hidden="true">{}</span> <span>{}</span> '
    '<span class="muted">· {} ·</span> <time datetime="{}">{}</time></li>'
)
NOTIFICATION_HTML = (
    '<li class="ws-event ws-notification ws-notification-{state}">'
    '<span class="ws-icon" aria-hidden="true">✉</span> '
    '<span>{channel} → {recipient}: <span class="ws-delivery">{words}</span>{more}</span> '
    '<time datetime="{at_iso}">{ago}</time></li>'
)
FAILED_ERROR_CHARS = 160


def _attachments_html(message) -> SafeString | str:
    items = []
    for attachment in message.attachment_list:
        url = reverse("tickets:agent-attachment-download", args=[attachment.pk])
        if attachment.content_type.startswith("image/"):
            items.append(html_format(IMAGE_HTML, url, attachment.filename))
        else:
            items.append(
                html_format(FILE_HTML, url, attachment.filename, filesizeformat(attachment.size))
            )
    if not items:
        return ""
    return html_format('<ul class="ws-attachments">{}</ul>', SafeString("".join(items)))


def _notification_more(row: dict[str, Any]) -> SafeString | str:
    notification = row["item"]
    if row["state"] == "quiet":
        at = formats.date_format(timezone.localtime(notification.next_attempt_at), "H:i")
        return html_format(' <span class="muted">({})</span>', _("goes at %(at)s") % {"at": at})
    if row["state"] == "failed" and notification.last_error:
        error = Truncator(notification.last_error).chars(FAILED_ERROR_CHARS)
        return html_format(' <span class="ws-error">{}</span>', error)
    return ""


def timeline_html(rows: list[dict[str, Any]]) -> SafeString:
    """The <li>s of the workspace's timeline rows (tickets.agent.workspace._timeline_rows):
    messages (internal notes marked) with their attachments, case events, and notifications
    with their delivery state; or one line saying that nothing has happened yet."""
    if not rows:
        return html_format('<li class="muted">{}</li>', _("Nothing has happened on this case yet."))
    internal = html_format(' <span class="tag">{}</span>', _("Internal note"))
    html = []
    for row in rows:
        item = row["item"]
        if row["kind"] == "message":
            html.append(
                html_format(
                    MESSAGE_HTML,
                    visibility=item.visibility,
                    author=item.author_kind,
                    who=row["who"],
                    internal=internal if item.visibility == "internal" else "",
                    at_iso=row["at_iso"],
                    ago=row["ago"],
                    body=linebreaksbr(item.body, autoescape=True),
                    attachments=_attachments_html(item),
                )
            )
        elif row["kind"] == "event":
            html.append(
                html_format(
                    EVENT_HTML, row["icon"], row["words"], row["who"], row["at_iso"], row["ago"]
                )
            )
        else:
            html.append(
                html_format(
                    NOTIFICATION_HTML,
                    state=row["state"],
                    channel=row["channel"],
                    recipient=item.recipient,
                    words=row["state_words"],
                    more=_notification_more(row),
                    at_iso=row["at_iso"],
                    ago=row["ago"],
                )
            )
    return SafeString("".join(html))  # each part came from html_format
