"""The compensation screens: propose on a case, move one along the ledger, and the
supervisors' approval queue (`/agent/compensations/`). The ledger's rules live in
tickets.services.compensations; a refusal is a 4xx page that says why, with nothing changed."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tickets import selectors
from tickets.agent.compensation_forms import CompensationMoveForm, CompensationProposeForm
from tickets.agent.links import case_workspace_href, next_or, see_other
from tickets.agent.refusals import form_problems, refused, refused_for, validation_problems
from tickets.errors import ApplicationError
from tickets.models import Compensation
from tickets.money import format_money
from tickets.selectors import compensations as ledger
from tickets.services import compensations as services

QUEUE_PAGE_SIZE = 50


def _amount_words(compensation: Compensation) -> str:
    return format_money(compensation.amount, compensation.currency)


@require_POST
@login_required
@permission_required(["tickets.view_case", ledger.PROPOSE_PERMISSION], raise_exception=True)
def compensation_propose(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get(number=number, user=request.user)
    if case is None:
        raise Http404
    back = next_or(request, case_workspace_href(case.number))
    form = CompensationProposeForm(request.POST, currency=ledger.compensation_currency(case=case))
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    try:
        compensation = services.compensation_propose(
            case=case,
            actor=request.user,
            kind=form.cleaned_data["kind"],
            amount=form.cleaned_data["amount"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        return refused(request, validation_problems(exc), back=back, status=400)
    except ApplicationError as exc:
        return refused_for(request, exc, back=back)
    words = {"kind": compensation.get_kind_display(), "amount": _amount_words(compensation)}
    if compensation.status == Compensation.Status.APPROVED:
        messages.success(request, _("%(kind)s of %(amount)s proposed and approved.") % words)
    else:
        messages.success(
            request, _("%(kind)s of %(amount)s proposed; it waits for a supervisor.") % words
        )
    return see_other(back)


def _move(request: HttpRequest, compensation: Compensation, action: str, form) -> Compensation:
    """Call the one service of `action`; raises what it raises."""
    actor = request.user
    reason = form.cleaned_data["reason"]
    if action == "approve":
        return services.compensation_approve(compensation=compensation, actor=actor)
    if action == "reject":
        return services.compensation_reject(compensation=compensation, actor=actor, reason=reason)
    if action == "cancel":
        return services.compensation_cancel(compensation=compensation, actor=actor, reason=reason)
    if action == "fail":
        return services.compensation_mark_failed(
            compensation=compensation, actor=actor, reason=reason
        )
    return services.compensation_mark_issued(
        compensation=compensation,
        actor=actor,
        external_reference=form.cleaned_data["external_reference"].strip(),
    )


MOVED = {
    "approve": gettext_lazy("%(kind)s of %(amount)s on case %(number)s approved."),
    "reject": gettext_lazy("%(kind)s of %(amount)s on case %(number)s rejected."),
    "issue": gettext_lazy("%(kind)s of %(amount)s on case %(number)s marked issued."),
    "fail": gettext_lazy("%(kind)s of %(amount)s on case %(number)s marked failed."),
    "cancel": gettext_lazy("%(kind)s of %(amount)s on case %(number)s cancelled."),
}


@require_POST
@login_required
@permission_required(["tickets.view_case", ledger.CHANGE_PERMISSION], raise_exception=True)
def compensation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ledger.MOVES:
        raise Http404
    compensation = ledger.compensation_get(pk=pk, user=request.user)
    if compensation is None:
        raise Http404
    back = next_or(request, case_workspace_href(compensation.case.number))
    form = CompensationMoveForm(request.POST)
    if not form.is_valid():
        return refused(request, form_problems(form), back=back, status=400)
    try:
        compensation = _move(request, compensation, action, form)
    except ValidationError as exc:
        return refused(request, validation_problems(exc), back=back, status=400)
    except ApplicationError as exc:
        return refused_for(request, exc, back=back)
    messages.success(
        request,
        str(MOVED[action])
        % {
            "kind": compensation.get_kind_display(),
            "amount": _amount_words(compensation),
            "number": compensation.case.number,
        },
    )
    return see_other(back)


def _queue_key(text: str) -> ledger.QueueKey | None:
    """The `after` of a queue link ("<ISO time>~<pk>"); raises ValueError if it is not one."""
    if not text:
        return None
    when, _sep, pk = text.rpartition("~")
    created_at = datetime.fromisoformat(when)
    key = ledger.QueueKey(created_at=created_at, pk=int(pk))
    if created_at.tzinfo is None or not 0 < key.pk < 2**63:
        raise ValueError(text)
    return key


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def compensation_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm(ledger.APPROVE_PERMISSION):
        return render(request, "tickets/agent/compensation_forbidden.html", status=403)
    tab = request.GET.get("tab", "waiting")
    if tab not in ledger.QUEUE_TABS:
        tab = "waiting"
    try:
        after = _queue_key(request.GET.get("after", ""))
    except ValueError:
        return refused(
            request,
            [_("That page link is broken; start from the first page.")],
            back=reverse("tickets:agent-compensation-queue"),
            status=400,
        )
    rows = ledger.compensation_queue(
        user=request.user, tab=tab, after=after, limit=QUEUE_PAGE_SIZE + 1
    )
    more = len(rows) > QUEUE_PAGE_SIZE
    rows = rows[:QUEUE_PAGE_SIZE]
    last = rows[-1] if rows else None
    return render(
        request,
        "tickets/agent/compensation_queue.html",
        {
            "tab": tab,
            "rows": [
                (row, ledger.compensation_moves(compensation=row, user=request.user))
                for row in rows
            ],
            "first_page": after is None,
            "next_after": f"{last.created_at.isoformat()}~{last.pk}" if more and last else "",
        },
    )
