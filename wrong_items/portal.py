"""The portal's "I received the wrong item" form (the wizard's `wrong-item` branch, step 2 of
2): which item, what came instead, photos (required) and what the customer would like. Parse,
call the service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tickets import selectors
from tickets.errors import ApplicationError, Conflict, EvidenceRefused
from tickets.models import Order
from tickets.portal.pages import portal_page
from tickets.portal.uploads import evidence_upload_limits
from tickets.scenarios import portal_entry
from tickets.services.evidence import evidence_prepare
from wrong_items.forms import PortalReportForm
from wrong_items.services.reports import report_create

BRANCH = "wrong-item"


@require_http_methods(["GET", "HEAD", "POST"])
@evidence_upload_limits
@portal_page
def report_new(request: HttpRequest, order_id: int) -> HttpResponse:
    """400 for a bad form or no photo, 409 for an item not shipped yet or already reported."""
    customer = request.portal_customer  # type: ignore[attr-defined]
    order: Order | None = selectors.portal_order_get(customer=customer, order_id=order_id)
    entry = portal_entry(BRANCH)
    if order is None or entry is None:
        raise Http404
    lines = order.lines.all()
    initial = {}
    line = selectors.portal_order_line_get(order=order, line_id=request.GET.get("line"))
    if line is not None:
        initial["line"] = line.pk
    form = PortalReportForm(request.POST or None, lines=lines, initial=initial)
    files_error, error, status = "", "", 200
    if request.method == "POST":
        status = 400
        files = request.FILES.getlist("files")
        if not files:
            files_error = _("Please add at least one photo of the item you received.")
        if form.is_valid() and files:
            try:
                report = report_create(
                    order_line=form.cleaned_data["line"],
                    received_description=form.cleaned_data["received"],
                    received_sku=form.cleaned_data["received_sku"],
                    preference=form.cleaned_data["preference"],
                    photos=evidence_prepare(files),
                )
            except EvidenceRefused as refused:
                files_error = refused.message
            except Conflict as refused:
                error, status = refused.message, 409
            except ApplicationError as refused:
                error = refused.message
            else:
                messages.success(
                    request,
                    _(
                        "We are sorry. We have your report under case %(number)s and will "
                        "send the right item as quickly as we can."
                    )
                    % {"number": report.case.number},
                )
                return redirect("tickets:portal-case", number=report.case.number)
    back = reverse("tickets:portal-help", kwargs={"order_id": order.pk})
    general = reverse("tickets:portal-case-new", kwargs={"order_id": order.pk})
    context = {
        "portal_customer": customer,
        "order": order,
        "entry": entry,
        "form": form,
        "error": error,
        "files_error": files_error,
        "step": 2,
        "steps": 2,
        "back_url": f"{back}?{urlencode({'selected': BRANCH})}",
        "general_url": f"{general}?{urlencode({'branch': 'other'})}",
    }
    return render(request, "wrong_items/portal/report_form.html", context, status=status)
