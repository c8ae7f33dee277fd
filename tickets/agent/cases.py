"""The case list: filters and search from the query string, keyset pages, bulk actions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from tickets.agent.forms import SORT_CHOICES, CaseBulkForm, CaseQueueForm
from tickets.agent.links import see_other
from tickets.agent.rows import Row, rows_of
from tickets.models import Case
from tickets.selectors import user_list_assignable
from tickets.selectors.case_queue import (
    QueueFilters,
    QueuePage,
    case_list_by_numbers,
    case_queue_page,
)
from tickets.selectors.cursors import BadCursor
from tickets.selectors.staff import staff_get
from tickets.services.case_bulk import cases_bulk_apply

PAGE_SIZE = 25
PANE_SIZE = 25
# The query-string key of the queue pane that names the case shown beside it.
PANE_CURRENT = "current"


def queue_read(
    request: HttpRequest, *, size: int, count: bool
) -> tuple[CaseQueueForm, QueuePage | None, str]:
    """The list the query string of `request` asks for: the bound form, the page (None when the
    input is invalid), and a message for a person when it is."""
    form = CaseQueueForm(request.GET)
    if not form.is_valid():
        return form, None, _("Some filters are not valid; correct them and try again.")
    try:
        page = case_queue_page(
            user=request.user,
            filters=form.filters(),
            cursor=form.cleaned_data["cursor"],
            size=size,
            count=count,
        )
    except BadCursor:
        return form, None, _("This page link is out of date. Start again from the first page.")
    return form, page, ""


def page_rows(page: QueuePage | None, query: str) -> list[Row]:
    """The rows of `page` ready to draw (none without a page), linking with `query`."""
    return rows_of(page.rows if page else (), query, now=timezone.now())


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_queue_pane(request):
    """The workspace's left pane, fetched by the page once it is drawn: the list the agent came
    from (its filters in the query string), the case `current` marked. Its own request, so that
    the conversation shows without waiting for the list."""
    form, page, problem = queue_read(request, size=PANE_SIZE, count=False)
    return render(
        request,
        "tickets/agent/_queue_pane.html",
        {
            "rows": page_rows(page, _query_without(request.GET, PANE_CURRENT)),
            "problem": problem,
            "current": request.GET.get(PANE_CURRENT),
        },
        status=400 if problem else 200,
    )


def _query_without(params: QueryDict, *names: str) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_case_list(request):
    form, page, problem = queue_read(request, size=PAGE_SIZE, count=True)
    base = _query_without(request.GET, "cursor")
    staff = staff_get()
    filters = form.filters() if form.is_valid() else QueueFilters()
    return render(
        request,
        "tickets/agent/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": page_rows(page, request.GET.urlencode()),
            "problem": problem,
            "filters": filters,
            "teams": staff.team_choices(),
            "agents": staff.agent_choices(),
            "sorts": SORT_CHOICES,
            "first_url": f"?{base}" if base else "?",
            "next_url": (
                f"?{urlencode([*_pairs(base), ('cursor', page.next_cursor)])}"
                if page and page.next_cursor
                else ""
            ),
            "back": request.GET.urlencode(),
            "bulk_actions": CaseBulkForm.ACTIONS,
            "statuses": Case.Status.choices,
        },
        status=400 if problem else 200,
    )


def _pairs(query: str) -> list[tuple[str, str]]:
    return [(key, value) for key, values in QueryDict(query).lists() for value in values]


# --- bulk actions ------------------------------------------------------------------------------


def _assignee_of(request, value: str):
    """The user `value` ("me", "none", an id) names, False for one who may not work cases."""
    if value == "me":
        return request.user
    if value == "none":
        return None
    return user_list_assignable().filter(pk=int(value)).first() or False


def _describe(form: CaseBulkForm, assignee, count: int) -> str:
    action = form.cleaned_data["action"]
    if action == CaseBulkForm.ASSIGN:
        if assignee is None:
            return ngettext(
                "Return %(count)s case to the queue (unassigned).",
                "Return %(count)s cases to the queue (unassigned).",
                count,
            ) % {"count": count}
        name = assignee.get_full_name() or assignee.get_username()
        return ngettext(
            "Assign %(count)s case to %(name)s.", "Assign %(count)s cases to %(name)s.", count
        ) % {"count": count, "name": name}
    if action == CaseBulkForm.STATUS:
        label = Case.Status(form.cleaned_data["status"]).label
        return ngettext(
            "Move %(count)s case to “%(status)s”.", "Move %(count)s cases to “%(status)s”.", count
        ) % {"count": count, "status": label}
    if action == CaseBulkForm.CLOSE:
        return ngettext(
            "Close %(count)s case. Cases not resolved yet are resolved first, and their "
            "customers are told.",
            "Close %(count)s cases. Cases not resolved yet are resolved first, and their "
            "customers are told.",
            count,
        ) % {"count": count}
    return ngettext(
        "Add the tag “%(tag)s” to %(count)s case.",
        "Add the tag “%(tag)s” to %(count)s cases.",
        count,
    ) % {"count": count, "tag": form.cleaned_data["tag"]}


def _back_url(back: str) -> str:
    # Only a query string of the list: never a URL elsewhere (no open redirect).
    url = reverse("tickets:agent-case-list")
    query = QueryDict(back).urlencode() if back else ""
    return f"{url}?{query}" if query else url


@require_POST
@login_required
@permission_required(["tickets.view_case", "tickets.change_case"], raise_exception=True)
def agent_case_bulk(request):
    """First a confirmation page (what will happen to how many cases), then, confirmed, the
    action on each case and back to the list with the summary."""
    form = CaseBulkForm(request.POST, numbers=request.POST.getlist("cases"))
    back = _back_url(request.POST.get("back", ""))
    if not form.is_valid():
        return render(
            request,
            "tickets/agent/case_bulk_confirm.html",
            {"form": form, "back": back, "cases": []},
            status=400,
        )
    assignee = None
    if form.cleaned_data["action"] == CaseBulkForm.ASSIGN:
        assignee = _assignee_of(request, form.cleaned_data["assignee"])
        if assignee is False:
            form.add_error("assignee", _("That person does not work cases."))
            return render(
                request,
                "tickets/agent/case_bulk_confirm.html",
                {"form": form, "back": back, "cases": []},
                status=400,
            )
    cases = case_list_by_numbers(numbers=form.cleaned_data["numbers"], user=request.user)
    if request.POST.get("confirm") != "1":
        return render(
            request,
            "tickets/agent/case_bulk_confirm.html",
            {
                "form": form,
                "back": back,
                "cases": cases,
                "description": _describe(form, assignee, len(cases)),
                "unseen": len(form.cleaned_data["numbers"]) - len(cases),
            },
        )
    result = cases_bulk_apply(
        cases=cases,
        action=form.cleaned_data["action"],
        actor=request.user,
        assignee=assignee,
        status=form.cleaned_data["status"],
        tag=form.cleaned_data["tag"],
    )
    if result.done:
        messages.success(
            request,
            ngettext("%(count)s case done.", "%(count)s cases done.", len(result.done))
            % {"count": len(result.done)},
        )
    if result.refused:
        messages.warning(
            request,
            ngettext(
                "%(count)s case refused, left as it was:",
                "%(count)s cases refused, left as they were:",
                len(result.refused),
            )
            % {"count": len(result.refused)},
        )
        for number, reason in result.refused:
            messages.warning(request, f"{number}: {reason}")
    return see_other(back)
