"""A list row, ready to draw: everything a row of the case list (and of the workspace's queue
pane) shows, worked out in Python once per page.

A row used to be drawn from the case by template filters and tags; at 25 rows a page that cost
more than the page's queries (each choice label, SLA text and date translated again per row).
Here the texts are translated once per page and each row is plain strings, so the template only
pastes them in."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from tickets.agent.html import html_format
from tickets.agent.links import case_workspace_href
from tickets.models import Case

AMBER_WITHIN = dt.timedelta(hours=1)
# Regional indicator symbols: "DE" → 🇩🇪.
REGIONAL_A = 0x1F1E6


def flag(code: str) -> str:
    """The flag emoji of a two-letter country code ("" for none)."""
    code = code.upper()
    if len(code) != 2 or not code.isalpha() or not code.isascii():
        return ""
    return "".join(chr(REGIONAL_A + ord(letter) - ord("A")) for letter in code)


def initials(first_name: str, last_name: str, username: str) -> str:
    """A person's initials: of their full name, else the first two letters of the username."""
    parts = [part for part in (first_name, last_name) if part]
    if parts:
        return "".join(part[0] for part in parts).upper()
    return username[:2].upper()


# An SLA badge: its classes, the moment it is about, the hover text around that moment
# ("Due %(time)s", which times.js fills in) and the time left.
BADGE_HTML = '<time class="{}" datetime="{}" data-title="{}">{}</time>'


class Clock:
    """The page's one `now`, and its texts for SLA badges and ages, translated once."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.days = _("%(days)d d %(hours)d h")
        self.hours = _("%(hours)d h %(minutes)d m")
        self.minutes = _("%(minutes)d m")
        self.paused, self.paused_since = _("paused"), _("Paused since %(time)s")
        self.breached, self.due = _("Breached, was due %(time)s"), _("Due %(time)s")
        self.ago = (_("now"), _("%(n)s min"), _("%(n)s h"), _("%(n)s d"))

    def duration(self, delta: dt.timedelta) -> str:
        """`delta` in at most two units: "3 d 4 h", "2 h 10 m", "35 m"; a minus sign when
        past."""
        minutes = int(abs(delta).total_seconds() // 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        if days:
            text = self.days % {"days": days, "hours": hours}
        elif hours:
            text = self.hours % {"hours": hours, "minutes": minutes}
        else:
            text = self.minutes % {"minutes": minutes}
        past = delta < dt.timedelta() and minutes + hours + days
        return f"\N{MINUS SIGN}{text}" if past else text

    def sla_badge(self, case: Any) -> SafeString | str:
        """The SLA badge of `case` (a Case, or a list row with its fields): time left or time
        over ("2 h 10 m", "−35 m"), "paused" while the clocks stand still, nothing when no
        target runs. Grey while there is time, amber within the hour, red when breached. On
        hover it says the exact time ("Due …"), which times.js writes in the agent's language
        and time zone from the badge's `datetime` and `data-title`. Reads its status, sla_due
        and sla_paused_at only."""
        if case.sla_paused_at is not None and case.status in Case.ACTIVE_STATUSES:
            at = case.sla_paused_at.isoformat()
            return html_format(BADGE_HTML, "sla sla-paused", at, self.paused_since, self.paused)
        if case.sla_due is None:
            return ""
        left = case.sla_due - self.now
        if left < dt.timedelta():
            state, label = "sla sla-red", self.breached
        elif left < AMBER_WITHIN:
            state, label = "sla sla-amber", self.due
        else:
            state, label = "sla", self.due
        return html_format(BADGE_HTML, state, case.sla_due.isoformat(), label, self.duration(left))

    def ago_short(self, moment: dt.datetime) -> str:
        """How long ago `moment` was, in one short unit for a list column: "now", "5 min",
        "3 h", "12 d" (the workspace's timeline says it in words: workspace_timeline.ago)."""
        seconds = max(0, int((self.now - moment).total_seconds()))
        now, minutes, hours, days = self.ago
        if seconds < 60:
            return now
        if seconds < 3600:
            return minutes % {"n": seconds // 60}
        if seconds < 86400:
            return hours % {"n": seconds // 3600}
        return days % {"n": seconds // 86400}


@dataclass(frozen=True)
class Row:
    number: str
    href: str
    select_label: str
    country: str
    flag: str
    customer: str
    email: str
    subject: str
    kind: str
    kind_label: str
    status_label: str
    sla: SafeString | str
    initials: str
    assignee: str
    updated_iso: str
    updated_ago: str


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def rows_of(cases: Iterable[Any], query: str, *, now: dt.datetime) -> list[Row]:
    """The rows of `cases` (the list's rows: selectors.case_queue.ROW_FIELDS), each linking to
    its workspace with the list's query string `query`."""
    clock = Clock(now)
    kinds = {value: str(label) for value, label in Case.Kind.choices}
    statuses = {value: str(label) for value, label in Case.Status.choices}
    select = _("Select case %(number)s")
    rows = []
    for case in cases:
        country = case.customer__country or ""
        username = case.assignee__username
        first, last = case.assignee__first_name or "", case.assignee__last_name or ""
        rows.append(
            Row(
                number=case.number,
                href=case_workspace_href(case.number, query),
                select_label=select % {"number": case.number},
                country=country,
                flag=flag(country),
                customer=_short(case.customer__name or case.customer__email),
                email=case.customer__email,
                subject=case.subject,
                kind=case.kind,
                kind_label=kinds.get(case.kind, case.kind),
                status_label=statuses.get(case.status, case.status),
                sla=clock.sla_badge(case),
                initials=initials(first, last, username) if username is not None else "",
                # As User.get_full_name(), else the username.
                assignee=(f"{first} {last}".strip() or username) if username is not None else "",
                updated_iso=case.updated_at.isoformat(),
                updated_ago=clock.ago_short(case.updated_at),
            )
        )
    return rows


# One row as HTML. The rows are drawn here rather than by a template: a template engine's
# lookup and escape per field, some 400 a page, cost more than the rest of the list's drawing.
ROW_HTML = (
    '<tr class="case-row{current_class}" data-href="{href}"{current_attr}>{check}'
    '<td class="col-number nowrap"><a href="{href}">{number}</a></td>'
    '<td class="col-customer nowrap" title="{email}">{country_cell}{customer}</td>'
    '<td class="col-subject" title="{subject}">{subject}</td>'
    '<td class="col-kind"><span class="tag kind kind-{kind}">{kind_label}</span></td>'
    '<td class="col-status nowrap">{status_label}</td>'
    '<td class="col-sla">{sla}</td>'
    '<td class="col-assignee">{initials_cell}</td>'
    '<td class="col-updated nowrap"><time datetime="{updated_iso}">{updated_ago}</time></td>'
    "</tr>"
)
CHECK_HTML = (
    '<td class="col-check"><input type="checkbox" name="cases" value="{}" form="bulk-form"'
    ' aria-label="{}"></td>'
)
COUNTRY_HTML = '<span class="flag" aria-hidden="true">{}</span><span class="country">{}</span> '
INITIALS_HTML = '<span class="initials" title="{}">{}</span>'
# Constant markup, safe as written.
CURRENT_ATTR = SafeString(' aria-current="true"')
WIDE_CELL = SafeString(' colspan="9"')


def rows_html(rows: Iterable[Row], *, selectable: bool, current: str | None) -> SafeString:
    """The <tr>s of `rows` for the case list (`selectable`: with a tick box each, for the bulk
    actions) or the workspace's queue pane (`current`: the number of the case shown beside
    it), or one row saying that no case matches."""
    html = [
        html_format(
            ROW_HTML,
            **vars(row),  # the row's own fields, by name
            current_class=" is-current" if row.number == current else "",
            current_attr=CURRENT_ATTR if row.number == current else "",
            check=html_format(CHECK_HTML, row.number, row.select_label) if selectable else "",
            country_cell=html_format(COUNTRY_HTML, row.flag, row.country) if row.country else "",
            initials_cell=(
                html_format(INITIALS_HTML, row.assignee, row.initials) if row.initials else ""
            ),
        )
        for row in rows
    ]
    if not html:
        span = WIDE_CELL if selectable else ""
        return html_format('<tr><td{} class="muted">{}</td></tr>', span, _("No cases match."))
    return SafeString("".join(html))  # each part came from html_format
