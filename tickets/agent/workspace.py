"""The agent's case workspace: the case with its customer, order and timeline, the reply
composer and the controls. Views parse input, call one service and answer; a case the agent
may not see is a 404, a refused change a 4xx with the page and a message that says why."""

from datetime import UTC, datetime
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from tickets.agent.cases import PANE_CURRENT
from tickets.agent.links import case_workspace_href, see_other
from tickets.agent.workspace_forms import ControlsForm, ReplyForm
from tickets.agent.workspace_timeline import (
    actor_name,
    ago,
    event_icon,
    event_words,
    notification_state,
    person,
)
from tickets.errors import ApplicationError, StaleVersion
from tickets.models import Case, Message, Notification
from tickets.scenarios import workspace_panel
from tickets.selectors import workspace as reads
from tickets.selectors.macros import macro_get_active
from tickets.selectors.staff import Staff, staff_get
from tickets.services.macros import macro_apply
from tickets.services.messages import message_add
from tickets.services.notifications import customer_channels
from tickets.services.portal_access import portal_link_send_by_agent
from tickets.services.workspace import case_controls_apply

# Query-string keys that belong to the workspace itself, not to the list the agent came from.
OWN_PARAMETERS = ("before", "part")
# `?part=timeline`: the timeline alone, which "Show earlier" (workspace.js) fetches.
TIMELINE_PART = "timeline"


def agent_page(view):
    """Signed in (else the login page), allowed to view cases (else 403), never cached."""
    return never_cache(
        login_required(permission_required("tickets.view_case", raise_exception=True)(view))
    )


def _with_case(view):
    """Hand the view the case named by `number`, or answer 404 if the agent may not see it."""

    @wraps(view)
    def wrapped(request: HttpRequest, number: str, *args: Any, **kwargs: Any) -> HttpResponse:
        case = reads.workspace_case_get(number=number, user=request.user)
        if case is None:
            raise Http404
        return view(request, case, *args, **kwargs)

    return wrapped


def _list_query(request: HttpRequest) -> str:
    """The list's filters the agent came with, to keep the left pane on the same list."""
    query = request.GET.copy()
    for key in OWN_PARAMETERS:
        query.pop(key, None)
    return query.urlencode()


def _pane_url(list_query: str, case: Case) -> str:
    """Where the page fetches its left pane: the list of `list_query`, `case` marked in it."""
    query = QueryDict(list_query, mutable=True)
    query[PANE_CURRENT] = case.number
    return f"{reverse('tickets:agent-queue-pane')}?{query.urlencode()}"


def _send_label(customer_email: str, channels: list[str]) -> str:
    if Notification.Channel.SMS in channels:
        return _("Send to %(email)s by email and SMS") % {"email": customer_email}
    return _("Send to %(email)s by email") % {"email": customer_email}


def _timeline_rows(timeline: reads.Timeline) -> list[dict[str, Any]]:
    rows = []
    now = timezone.now()
    # Labels read once per page: a model's get_FOO_display() translates every choice per call.
    channels = {value: str(label) for value, label in Notification.Channel.choices}
    authors = {value: str(label) for value, label in Message.Author.choices}
    for entry in timeline.entries:
        row: dict[str, Any] = {
            "kind": entry.kind,
            "at_iso": entry.at.isoformat(),
            "ago": ago(entry.at, now),
            "item": entry.item,
        }
        if entry.kind == "event":
            row["icon"] = event_icon(entry.item)
            row["words"] = event_words(entry.item, users=timeline.users, teams=timeline.teams)
            row["who"] = actor_name(entry.item)
        elif entry.kind == "notification":
            row["state"], row["state_words"] = notification_state(entry.item)
            row["channel"] = channels.get(entry.item.channel, entry.item.channel)
        else:
            row["who"] = (
                person(entry.item.author_user)
                if entry.item.author_user_id
                else authors.get(entry.item.author_kind, entry.item.author_kind)
            )
        rows.append(row)
    return rows


def _panel(case: Case, request: HttpRequest) -> SafeString | str:
    panel = workspace_panel(case=case)
    if panel is None:
        return ""
    template, context = panel
    return render_to_string(template, {"case": case, **context}, request=request)


def collision_message(case: Case) -> str:
    """ "This case changed: <who> <what> <how long ago> — reload", from its newest event."""
    event = reads.case_latest_event(case=case)
    if event is None:
        return _("This case changed meanwhile. Reload it to see how; nothing was saved.")
    words = _(
        "This case changed: %(who)s, %(what)s, %(when)s. Reload it to see; nothing was saved."
    )
    return words % {
        "who": actor_name(event),
        "what": event_words(event),
        "when": ago(event.created_at),
    }


def _before(request: HttpRequest) -> datetime | None:
    """The `before` of a "show earlier" link; None for none, or one that is no time."""
    try:
        before = parse_datetime(request.GET.get("before", ""))
    except ValueError:
        return None
    if before is not None and timezone.is_naive(before):
        before = timezone.make_aware(before, UTC)
    return before


def _timeline(request: HttpRequest, case: Case, staff: Staff) -> dict[str, Any]:
    """The context of the timeline (_timeline.html): its entries, newest last, from the
    `before` of a "show earlier" link, with the links to earlier ones and back to the newest."""
    before = _before(request) if request.method == "GET" else None
    timeline = reads.case_timeline(
        case=case,
        before=before,
        users={agent.pk: agent for agent in staff.agents},
        teams={team.pk: team.name for team in staff.teams},
    )
    list_query = _list_query(request)
    earlier_url = ""
    if timeline.earlier_before is not None:
        query = QueryDict(list_query, mutable=True)
        query["before"] = timeline.earlier_before.isoformat()
        earlier_url = case_workspace_href(case.number, query.urlencode())
    return {
        "case": case,
        "timeline": _timeline_rows(timeline),
        "earlier_url": earlier_url,
        "paging_back": before is not None,
        "list_query": list_query,
        "query_suffix": f"?{list_query}" if list_query else "",
    }


def _workspace(
    request: HttpRequest,
    case: Case,
    *,
    reply_form: ReplyForm | None = None,
    controls_form: ControlsForm | None = None,
    controls_error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    customer = case.customer
    staff = staff_get()
    timeline = _timeline(request, case, staff)
    past_cases, past_count = reads.customer_past_cases(case=case, user=user)
    if controls_form is None:
        controls_form = ControlsForm(case=case, agents=staff.agents, teams=staff.teams)
    try:
        customer_now = timezone.now().astimezone(ZoneInfo(customer.timezone))
    except (KeyError, ValueError):
        customer_now = None
    context = {
        **timeline,
        "customer": customer,
        "customer_now": customer_now,
        # Each with its link, formatted: a page links up to five (tickets.agent.links).
        "past_cases": [
            (other, case_workspace_href(other.number, timeline["list_query"]))
            for other in past_cases
        ],
        "past_count": past_count,
        # Four forms post here: reversed once.
        "update_url": reverse("tickets:agent-case-update", args=[case.number])
        + timeline["query_suffix"],
        "order": case.order,
        "lines": reads.order_lines(case=case),
        "panel": _panel(case, request),
        "reply_form": reply_form or ReplyForm(),
        "send_label": _send_label(customer.email, customer_channels(customer)),
        "controls_form": controls_form,
        "controls_error": controls_error,
        "pane_url": _pane_url(timeline["list_query"], case),
        "me": user,
    }
    return render(request, "tickets/agent/case.html", context, status=status)


@require_safe
@agent_page
@_with_case
def case_workspace(request: HttpRequest, case: Case) -> HttpResponse:
    if request.GET.get("part") == TIMELINE_PART:
        # Only what "Show earlier" puts on the page: the rest of it is already there.
        context = _timeline(request, case, staff_get())
        return render(request, "tickets/agent/_timeline.html", context)
    return _workspace(request, case)


def _redirect(case: Case, request: HttpRequest) -> HttpResponse:
    return see_other(case_workspace_href(case.number, _list_query(request)))


@require_POST
@agent_page
@_with_case
def case_reply(request: HttpRequest, case: Case) -> HttpResponse:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _workspace(request, case, reply_form=form, status=400)
    visibility = form.cleaned_data["visibility"]
    try:
        message_add(
            case=case,
            body=form.cleaned_data["body"],
            author_kind=Message.Author.AGENT,
            actor=request.user,
            visibility=visibility,
        )
    except ApplicationError as refused:
        form.add_error("body", refused.message)
        return _workspace(request, case, reply_form=form, status=400)
    if form.cleaned_data["macro"]:
        _macro_actions(request, case, macro_id=form.cleaned_data["macro"])
    if visibility == Message.Visibility.INTERNAL:
        messages.success(request, _("Internal note saved."))
    else:
        text = (
            _("Reply sent to %(email)s by email and SMS.")
            if Notification.Channel.SMS in customer_channels(case.customer)
            else _("Reply sent to %(email)s by email.")
        )
        messages.success(request, text % {"email": case.customer.email})
    return _redirect(case, request)


def _macro_actions(request: HttpRequest, case: Case, *, macro_id: int) -> None:
    """Apply the actions of the macro the reply was written with, and say what they did."""
    macro = macro_get_active(pk=macro_id)
    if macro is None:
        messages.warning(request, _("The macro is no longer offered: its actions were skipped."))
        return
    outcome = macro_apply(case=case, macro=macro, actor=request.user)
    for said in outcome.done:
        messages.info(request, said)
    for refused in outcome.refused:
        messages.warning(request, refused)


@require_POST
@agent_page
@_with_case
def case_update(request: HttpRequest, case: Case) -> HttpResponse:
    staff = staff_get()
    agents, teams = staff.agents, staff.teams
    form = ControlsForm(request.POST, case=case, agents=agents, teams=teams)
    posted_version = request.POST.get("version", "")
    if posted_version.isdigit() and int(posted_version) != case.version:
        return _collision(request, case, agents, teams)
    if not form.is_valid():
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return _workspace(request, case, controls_error=errors, status=400)
    try:
        case_controls_apply(case=case, actor=request.user, **form.changes())
    except StaleVersion:
        return _collision(request, case, agents, teams)
    except ApplicationError as refused:
        return _workspace(request, case, controls_error=refused.message, status=400)
    messages.success(request, _("Case %(number)s saved.") % {"number": case.number})
    return _redirect(case, request)


def _collision(request: HttpRequest, case: Case, agents: list, teams: list) -> HttpResponse:
    """409: the case changed since the agent loaded it; show it as it is now, change nothing."""
    current = reads.workspace_case_get(number=case.number, user=request.user) or case
    return _workspace(
        request,
        current,
        controls_form=ControlsForm(case=current, agents=agents, teams=teams),
        controls_error=collision_message(current),
        status=409,
    )


@require_POST
@agent_page
@_with_case
def case_portal_link(request: HttpRequest, case: Case) -> HttpResponse:
    try:
        portal_link_send_by_agent(case=case, actor=request.user)
    except ApplicationError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("A sign-in link to the portal will be emailed to %(email)s in a moment.")
            % {"email": case.customer.email},
        )
    return _redirect(case, request)
