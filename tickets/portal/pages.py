"""The signed-in customer's pages: orders, the "get help with an order" wizard, cases.

Every page is for a signed-in portal customer only, shown in their time zone, and finds what an
id names among that customer's own rows: another customer's order or case is a 404, the same as
one that does not exist. Views parse input, call a selector or a service, render."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tickets import selectors
from tickets.errors import ApplicationError, CaseAlreadyOpen, NotAllowed
from tickets.general import answer_due
from tickets.models import Case, Message, Order, OrderLine
from tickets.portal.forms import CaseNewForm, ReplyForm
from tickets.portal.session import portal_customer_required
from tickets.portal.uploads import evidence_upload_limits
from tickets.scenarios import (
    PortalEntry,
    case_milestones,
    case_next_step,
    order_panels,
    portal_entries,
    portal_entry,
)
from tickets.services.evidence import evidence_prepare
from tickets.services.messages import message_add
from tickets.services.portal_cases import portal_case_open
from tickets.templatetags.portal import when

CASE_NEW = "tickets:portal-case-new"
# The branch the general case form takes when the wizard named none.
GENERAL_BRANCH = "other"


def portal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a signed-in customer (request.portal_customer), rendered in their time zone, never
    cached: the pages show one person's orders."""

    @never_cache
    @portal_customer_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with timezone.override(request.portal_customer.timezone):  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

    return wrapped


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    context = {"portal_customer": request.portal_customer, **context}  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def _order_or_404(request: HttpRequest, order_id: int) -> Order:
    order = selectors.portal_order_get(customer=request.portal_customer, order_id=order_id)  # type: ignore[attr-defined]
    if order is None:
        raise Http404
    return order


def _case_or_404(request: HttpRequest, number: str) -> Case:
    case = selectors.portal_case_get(customer=request.portal_customer, number=number)  # type: ignore[attr-defined]
    if case is None:
        raise Http404
    return case


# --- my orders ---------------------------------------------------------------------------------


@require_safe
@portal_page
def order_list(request: HttpRequest) -> HttpResponse:
    page = selectors.portal_order_page(
        customer=request.portal_customer,  # type: ignore[attr-defined]
        page=request.GET.get("page"),
    )
    panels = order_panels(orders=list(page), full=False)
    rows = [{"order": order, "panels": panels[order.pk]} for order in page]
    return _render(request, "tickets/portal/order_list.html", {"page": page, "rows": rows})


@require_safe
@portal_page
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    """One order: its items, what each scenario shows about it (the parcel's tracking), its
    cases and the way to get help."""
    order = selectors.portal_order_detail_get(
        customer=request.portal_customer,  # type: ignore[attr-defined]
        order_id=order_id,
    )
    if order is None:
        raise Http404
    panels = order_panels(orders=[order], full=True)[order.pk]
    return _render(request, "tickets/portal/order_detail.html", {"order": order, "panels": panels})


# --- the wizard: what happened, which item, then the branch's own form --------------------------


def _step_count(entry: PortalEntry | None) -> int:
    """What happened, (which item,) the form."""
    if entry is None:
        return 3 if any(branch.per_line for branch in portal_entries()) else 2
    return 3 if entry.per_line else 2


def _handoff_url(order: Order, entry: PortalEntry, line: OrderLine | None) -> str:
    """The branch's own form, or the general case form taking the branch while it has none."""
    url = entry.url(order_id=order.pk)
    query: dict[str, Any] = {}
    if not url or entry.url_name == CASE_NEW:
        url = reverse(CASE_NEW, kwargs={"order_id": order.pk})
        query["branch"] = entry.key
    if line is not None:
        query["line"] = line.pk
    return f"{url}?{urlencode(query)}" if query else url


@require_safe
@portal_page
def help_start(request: HttpRequest, order_id: int) -> HttpResponse:
    """Step 1, "What happened?": a choice (`branch`) goes on to the branch; `selected` is the
    answer given before, kept when the customer comes back."""
    order = _order_or_404(request, order_id)
    error, status = "", 200
    if "branch" in request.GET:
        entry = portal_entry(request.GET["branch"])
        if entry is not None:
            return redirect("tickets:portal-help-branch", order_id=order.pk, branch=entry.key)
        error, status = _("Please choose what happened."), 400
    context = {
        "order": order,
        "entries": portal_entries(),
        "selected": request.GET.get("selected", ""),
        "error": error,
        "step": 1,
        "steps": _step_count(None),
    }
    return _render(request, "tickets/portal/help_start.html", context, status=status)


@require_safe
@portal_page
def help_branch(request: HttpRequest, order_id: int, branch: str) -> HttpResponse:
    """Step 2, "Which item?", for a branch about one item; others go straight to their form."""
    order = _order_or_404(request, order_id)
    entry = portal_entry(branch)
    if entry is None:
        raise Http404
    if not entry.per_line:
        return redirect(_handoff_url(order, entry, None))
    error, status = "", 200
    if "line" in request.GET:
        line = selectors.portal_order_line_get(order=order, line_id=request.GET["line"])
        if line is not None:
            return redirect(_handoff_url(order, entry, line))
        error, status = _("Please choose the item."), 400
    context = {
        "order": order,
        "entry": entry,
        "lines": list(order.lines.all()),
        "selected": request.GET.get("selected", ""),
        "error": error,
        "step": 2,
        "steps": _step_count(entry),
        "back_url": _back_to_start(order, entry),
    }
    return _render(request, "tickets/portal/help_line.html", context, status=status)


def _back_to_start(order: Order, entry: PortalEntry) -> str:
    url = reverse("tickets:portal-help", kwargs={"order_id": order.pk})
    return f"{url}?{urlencode({'selected': entry.key})}"


def _back_from_form(order: Order, entry: PortalEntry, line: OrderLine | None) -> str:
    if entry.per_line and line is not None:
        url = reverse(
            "tickets:portal-help-branch", kwargs={"order_id": order.pk, "branch": entry.key}
        )
        return f"{url}?{urlencode({'selected': line.pk})}"
    return _back_to_start(order, entry)


def _subject(entry: PortalEntry, line: OrderLine | None, description: str) -> str:
    about = line.title if line is not None else Truncator(" ".join(description.split())).chars(80)
    return f"{entry.title}: {about}"[:255]


def _opened(case: Case) -> str:
    due = answer_due(case)
    if due is None:
        return _(
            "Thank you. Your case %(number)s is open. We will answer as soon as we can and "
            "email you when we do."
        ) % {"number": case.number}
    return _(
        "Thank you. Your case %(number)s is open. We will answer by %(date)s and email you "
        "when we do."
    ) % {"number": case.number, "date": when(due)}


@require_http_methods(["GET", "HEAD", "POST"])
@evidence_upload_limits
@portal_page
def case_new(request: HttpRequest, order_id: int) -> HttpResponse:
    """The general case form: for "Something else", and for every branch whose scenario has not
    built its own form yet (the wizard hands over with `branch` and `line`). Multipart: the
    files go through the evidence check before anything is stored."""
    customer = request.portal_customer  # type: ignore[attr-defined]
    order = _order_or_404(request, order_id)
    entry = portal_entry(request.GET.get("branch", GENERAL_BRANCH))
    if entry is None:
        raise Http404
    if entry.url_name and entry.url_name != CASE_NEW:
        return redirect(_handoff_url(order, entry, None))
    lines = list(order.lines.all())
    line = selectors.portal_order_line_get(order=order, line_id=request.GET.get("line", ""))
    if entry.per_line and line is None:
        return redirect("tickets:portal-help-branch", order_id=order.pk, branch=entry.key)
    if entry.per_line and line is not None:
        existing = selectors.portal_case_active_for_line(
            customer=customer, order_line=line, kind=Case.Kind.GENERAL
        )
        if existing is not None:
            messages.info(request, CaseAlreadyOpen(existing).message)
            return redirect("tickets:portal-case", number=existing.number)

    initial = {"line": line.pk} if line is not None else {}
    form = CaseNewForm(request.POST or None, lines=lines, initial=initial)
    files_error, status = "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            description = form.cleaned_data["description"]
            chosen = line if entry.per_line else form.cleaned_data["line"]
            try:
                case = portal_case_open(
                    customer=customer,
                    order=order,
                    order_line=chosen,
                    kind=Case.Kind.GENERAL,
                    subject=_subject(entry, chosen, description),
                    description=description,
                    attachments=evidence_prepare(request.FILES.getlist("files")),
                )
            except CaseAlreadyOpen as already:
                messages.info(request, already.message)
                return redirect("tickets:portal-case", number=already.case.number)
            except ApplicationError as refused:
                files_error = refused.message
            else:
                messages.success(request, _opened(case))
                return redirect("tickets:portal-case", number=case.number)
    context = {
        "order": order,
        "entry": entry,
        "line": line if entry.per_line else None,
        "form": form,
        "files_error": files_error,
        "step": _step_count(entry),
        "steps": _step_count(entry),
        "back_url": _back_from_form(order, entry, line),
    }
    return _render(request, "tickets/portal/case_new.html", context, status=status)


# --- my cases ----------------------------------------------------------------------------------


@require_safe
@portal_page
def case_list(request: HttpRequest) -> HttpResponse:
    page = selectors.portal_case_page(
        customer=request.portal_customer,  # type: ignore[attr-defined]
        page=request.GET.get("page"),
    )
    return _render(request, "tickets/portal/case_list.html", {"page": page})


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    form: ReplyForm | None = None,
    reply_error: str = "",
    files_error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "case": case,
        "milestones": case_milestones(case=case),
        "next_step": case_next_step(case=case),
        "thread": selectors.portal_message_list(case=case),
        "compensations": selectors.customer_compensations(case=case),
        "form": form or ReplyForm(),
        "can_reply": case.status != Case.Status.CLOSED,
        "reply_error": reply_error,
        "files_error": files_error,
    }
    return _render(request, "tickets/portal/case_detail.html", context, status=status)


@require_safe
@portal_page
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    return _case_page(request, _case_or_404(request, number))


def _closed() -> str:
    return _(
        "This case is closed, so it takes no more messages. If you still need help, open a new "
        "case from My orders."
    )


@require_POST
@evidence_upload_limits
@portal_page
def case_reply(request: HttpRequest, number: str) -> HttpResponse:
    """The customer's reply, with files; a closed case takes none (409, nothing stored)."""
    case = _case_or_404(request, number)
    form = ReplyForm(request.POST)
    if case.status == Case.Status.CLOSED:
        return _case_page(request, case, form=form, reply_error=_closed(), status=409)
    if not form.is_valid():
        return _case_page(request, case, form=form, status=400)
    try:
        message_add(
            case=case,
            body=form.cleaned_data["body"],
            author_kind=Message.Author.CUSTOMER,
            actor=None,
            attachments=evidence_prepare(request.FILES.getlist("files")),
        )
    except NotAllowed:
        # Closed meanwhile (by an agent, or the auto-close).
        case.refresh_from_db()
        return _case_page(request, case, form=form, reply_error=_closed(), status=409)
    except ApplicationError as refused:
        return _case_page(request, case, form=form, files_error=refused.message, status=400)
    messages.success(request, _("Thank you, we have your message. We will reply by email too."))
    return redirect("tickets:portal-case", number=case.number)
