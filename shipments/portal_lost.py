"""The customer's choice for a lost parcel: a refund or a replacement, once. Linked from the
"your parcel is lost" message; for the signed-in customer whose parcel it is (anyone else gets
404, like a parcel that does not exist)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shipments.errors import ShipmentConflict
from shipments.forms import OutcomeForm
from shipments.models import Shipment
from shipments.selectors.lost import portal_lost_shipment_get
from shipments.services.lost import lost_outcome_choose, replacement_of
from tickets.errors import ApplicationError
from tickets.portal.pages import portal_page


def _page(
    request: HttpRequest,
    shipment: Shipment,
    form: OutcomeForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "portal_customer": request.portal_customer,  # type: ignore[attr-defined]
        "shipment": shipment,
        "order": shipment.order,
        "case": shipment.issue_case,
        "form": form,
        "chosen": shipment.lost_outcome,
        "replacement": replacement_of(shipment) if shipment.lost_outcome else None,
        "error": error,
    }
    return render(request, "shipments/portal/lost_choice.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@portal_page
def lost_choice(request: HttpRequest, shipment_id: int) -> HttpResponse:
    shipment = portal_lost_shipment_get(
        customer=request.portal_customer,  # type: ignore[attr-defined]
        shipment_id=shipment_id,
    )
    if shipment is None:
        raise Http404
    if request.method != "POST":
        return _page(request, shipment, OutcomeForm())
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        return _page(request, shipment, form, status=400)
    try:
        lost_outcome_choose(shipment=shipment, outcome=form.cleaned_data["outcome"], actor=None)
    except ShipmentConflict as refused:
        shipment.refresh_from_db()
        return _page(request, shipment, form, error=refused.message, status=409)
    except ApplicationError as refused:
        return _page(request, shipment, form, error=refused.message, status=409)
    if form.cleaned_data["outcome"] == Shipment.LostOutcome.REFUND:
        messages.success(request, _("Thank you. We are refunding your order."))
    else:
        messages.success(request, _("Thank you. We are sending your order again by express."))
    return redirect("shipments:portal-lost-choice", shipment_id=shipment.pk)
