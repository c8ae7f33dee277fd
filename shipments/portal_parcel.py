"""The portal's "My parcel hasn't arrived or is late" form (the wizard's `parcel` branch): the
customer picks the parcel of the order, may add words and photos, and joins that parcel's one
shipment-issue case; an order not shipped yet says so. Parse, call the service, render."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shipments.portal_forms import ParcelReportForm
from shipments.selectors.portal import parcel_choices, parcel_view
from shipments.services.customer_reports import shipment_customer_report
from tickets import selectors
from tickets.errors import ApplicationError, NotAllowed
from tickets.models import Order
from tickets.portal.pages import portal_page
from tickets.portal.uploads import evidence_upload_limits
from tickets.scenarios import portal_entry
from tickets.services.evidence import evidence_prepare

BRANCH = "parcel"


def _order_or_404(request: HttpRequest, order_id: int) -> Order:
    order = selectors.portal_order_get(customer=request.portal_customer, order_id=order_id)  # type: ignore[attr-defined]
    if order is None:
        raise Http404
    return order


def _urls(order: Order) -> dict[str, str]:
    back = reverse("tickets:portal-help", kwargs={"order_id": order.pk})
    general = reverse("tickets:portal-case-new", kwargs={"order_id": order.pk})
    return {
        "back_url": f"{back}?{urlencode({'selected': BRANCH})}",
        "general_url": f"{general}?{urlencode({'branch': 'other'})}",
        "order_url": reverse("tickets:portal-order", kwargs={"order_id": order.pk}),
    }


def _thanks(case_number: str, parcel: Any) -> str:
    """What the customer reads after sending: the case, and where the parcel stands."""
    status = parcel.shipment.get_status_display()
    if parcel.estimate is not None and not parcel.shipment.is_final:
        return _(
            "Thank you. We are looking into your parcel under case %(number)s. Its latest "
            "status: %(status)s. Expected delivery: %(estimate)s."
        ) % {
            "number": case_number,
            "status": status,
            "estimate": formats.date_format(parcel.estimate, "DATE_FORMAT"),
        }
    return _(
        "Thank you. We are looking into your parcel under case %(number)s. Its latest "
        "status: %(status)s."
    ) % {"number": case_number, "status": status}


@require_http_methods(["GET", "HEAD", "POST"])
@evidence_upload_limits
@portal_page
def parcel_report(request: HttpRequest, order_id: int) -> HttpResponse:
    """Step 2 of 2 of the wizard's parcel branch. Multipart: the files go through the evidence
    check before anything is stored. 400 for a bad form, 409 when the parcel's case is closed."""
    order = _order_or_404(request, order_id)
    entry = portal_entry(BRANCH)
    if entry is None:
        raise Http404
    choices = parcel_choices(order_id=order.pk)
    parcels = [parcel_view(shipment) for shipment in choices]
    initial = {"shipment": choices[0].pk} if len(choices) == 1 else {}
    form = ParcelReportForm(request.POST or None, parcels=choices, initial=initial)
    files_error, error, status = "", "", 200
    if request.method == "POST" and choices:
        status = 400
        if form.is_valid():
            shipment = form.cleaned_data["shipment"]
            try:
                case, _opened = shipment_customer_report(
                    shipment=shipment,
                    body=form.cleaned_data["message"],
                    attachments=evidence_prepare(request.FILES.getlist("files")),
                )
            except NotAllowed:
                error, status = (
                    _(
                        "Our case about this parcel is closed. If it still has not arrived, "
                        "please write to us with the general form."
                    ),
                    409,
                )
            except ApplicationError as refused:
                files_error = refused.message
            else:
                parcel = next(p for p in parcels if p.shipment.pk == shipment.pk)
                messages.success(request, _thanks(case.number, parcel))
                return redirect("tickets:portal-case", number=case.number)
    elif request.method == "POST":
        status = 400
    context = {
        "portal_customer": request.portal_customer,  # type: ignore[attr-defined]
        "order": order,
        "entry": entry,
        "parcels": parcels,
        "form": form,
        "error": error,
        "files_error": files_error,
        "step": 2,
        "steps": 2,
        **_urls(order),
    }
    return render(request, "shipments/portal/parcel_form.html", context, status=status)
