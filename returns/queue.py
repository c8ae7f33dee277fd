"""The inspection queue (`/agent/returns/inspection/`): the return parcels that reached the
warehouse and wait for inspection, the longest waiting first, 50 a page with a cursor to the
next. A page link that is not one this page wrote is a 400 saying so."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from returns.models import ReturnRequest
from returns.selectors import InspectionKey, return_inspection_queue
from tickets.agent.links import case_workspace_href
from tickets.agent.rows import Clock, flag
from tickets.selectors.cursors import BadCursor, cursor_decode, cursor_encode, cursor_time

PAGE_SIZE = 50


def cursor_of(key: InspectionKey) -> str:
    return cursor_encode(key.received_at, key.pk)


def key_of(cursor: str) -> InspectionKey:
    """The key `cursor` names; raises BadCursor for anything cursor_of did not write."""
    received_at, pk = cursor_decode(cursor)
    return InspectionKey(received_at=cursor_time(received_at, cursor), pk=pk)


@dataclass(frozen=True)
class InspectionRow:
    rma: str
    case_number: str
    href: str
    customer: str
    email: str
    units: str
    title: str
    more: str
    kind: str
    kind_label: str
    waited: str
    received_iso: str
    country: str
    flag: str


def inspection_rows(requests: list[ReturnRequest], *, now: datetime) -> list[InspectionRow]:
    """The rows of a page (requests with their case, customer, order and lines loaded), their
    words translated once per page."""
    clock = Clock(now)
    kinds = {value: str(label) for value, label in ReturnRequest.Kind.choices}
    rows = []
    for request in requests:
        lines = list(request.lines.all())
        units = sum(line.quantity for line in lines)
        others = len(lines) - 1
        customer = request.case.customer
        country = request.order.shipping_country.code or ""
        rows.append(
            InspectionRow(
                rma=request.rma,
                case_number=request.case.number,
                href=case_workspace_href(request.case.number),
                customer=customer.name or customer.email,
                email=customer.email,
                units=ngettext("%(count)d unit", "%(count)d units", units) % {"count": units},
                title=lines[0].order_line.title if lines else "",
                more=ngettext("+%(count)d item", "+%(count)d items", others) % {"count": others}
                if others > 0
                else "",
                kind=request.kind,
                kind_label=kinds.get(request.kind, request.kind),
                waited=clock.duration(now - request.received_at) if request.received_at else "",
                received_iso=request.received_at.isoformat() if request.received_at else "",
                country=country,
                flag=flag(country),
            )
        )
    return rows


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def inspection_queue(request: HttpRequest) -> HttpResponse:
    here = reverse("returns:agent-inspection-queue")
    cursor = request.GET.get("cursor", "")
    try:
        after = key_of(cursor) if cursor else None
    except BadCursor:
        problem = _("That page link is broken; start from the first page.")
        context = {"problem": problem, "first_url": here, "rows": [], "first_page": False}
        return render(request, "returns/agent/inspection_queue.html", context, status=400)
    page = return_inspection_queue(user=request.user, after=after, size=PAGE_SIZE)
    return render(
        request,
        "returns/agent/inspection_queue.html",
        {
            "rows": inspection_rows(page.rows, now=timezone.now()),
            "waiting": page.waiting,
            "first_page": after is None,
            "first_url": here,
            "next_url": f"{here}?{urlencode({'cursor': cursor_of(page.next_key)})}"
            if page.next_key
            else "",
        },
    )
