"""The portal's "I want to return an item" and "An item is defective or damaged" forms (the
wizard's `return` and `defect` branches): the customer sees for each item of the order whether
and until when it can be sent back, chooses items and quantities, a reason, adds words and
photos and what they would like; on sending, the RMA and what happens next. Parse, call the
service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from returns.errors import AlreadyClaimed, ClaimInvalid
from returns.forms import ClaimForm
from returns.models import ReturnRequest
from returns.services.claims import LineClaim, claimed_quantities, return_request_submit
from returns.services.policy import order_eligibility, policy_for
from shipments.labels.forms import AddressForm
from tickets import selectors
from tickets.errors import ApplicationError
from tickets.models import Case, Order
from tickets.portal.pages import portal_page
from tickets.portal.uploads import evidence_upload_limits
from tickets.scenarios import portal_entry
from tickets.services.evidence import evidence_prepare

Kind = ReturnRequest.Kind


def _order_or_404(request: HttpRequest, order_id: int) -> Order:
    order = selectors.portal_order_get(customer=request.portal_customer, order_id=order_id)  # type: ignore[attr-defined]
    if order is None:
        raise Http404
    return order


def _thanks(request_obj: ReturnRequest) -> str:
    """What the customer reads after sending: the RMA and what happens next."""
    values = {"rma": request_obj.rma}
    if request_obj.status == ReturnRequest.Status.LABEL_ISSUED:
        return (
            _(
                "Your return %(rma)s is approved. Your prepaid return label is on its way by "
                "email, and you can download it here."
            )
            % values
        )
    if request_obj.status == ReturnRequest.Status.APPROVED:
        return (
            _(
                "Your return %(rma)s is approved. We will write to you with the steps to send "
                "the items back."
            )
            % values
        )
    return (
        _(
            "Thank you. We received your request %(rma)s. We check it and write to you by "
            "email; you can follow it here."
        )
        % values
    )


def _claim(request: HttpRequest, order_id: int, kind: str) -> HttpResponse:
    order = _order_or_404(request, order_id)
    entry = portal_entry(kind)
    if entry is None:
        raise Http404
    lines = [line for line in order.lines.all() if line.removed_at is None]
    decisions = order_eligibility(order=order, kind=kind, lines=lines, language=get_language())
    claimed = claimed_quantities(order_line_ids=[line.pk for line in lines])
    claimable = []
    for line in lines:
        available = line.quantity - claimed.get(line.pk, (0, ""))[0]
        if decisions[line.pk].eligible and available > 0:
            claimable.append((line, available))
    preselected = request.GET.get("line", "")
    initial = {f"quantity_{line.pk}": "1" for line, _n in claimable if str(line.pk) == preselected}
    form = ClaimForm(request.POST or None, kind=kind, lines=claimable, initial=initial)
    # Where the parcel leaves from, for the prepaid label sent on approval.
    sender = AddressForm(
        request.POST or None,
        prefix="sender",
        initial={"name": order.customer.name, "country": order.shipping_country},
    )
    files_error, error, status = "", "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid() & sender.is_valid():  # both, so every error shows at once
            try:
                uploads = evidence_prepare(request.FILES.getlist("files"))
                created = return_request_submit(
                    order=order,
                    kind=kind,
                    lines=[
                        LineClaim(
                            order_line_id=line.pk,
                            quantity=quantity,
                            reason_code=form.cleaned_data["reason_code"],
                            description=form.cleaned_data["description"],
                        )
                        for line, quantity in form.chosen()
                    ],
                    preferred_outcome=form.cleaned_data["preferred_outcome"],
                    channel=Case.Channel.PORTAL,
                    description=form.cleaned_data["description"],
                    uploads=uploads,
                    sender_address=sender.cleaned_data,
                )
            except AlreadyClaimed as refused:
                error, status = refused.message, 409
            except ClaimInvalid as refused:
                photo = [p.message for p in refused.problems if p.field == "photos"]
                files_error = " ".join(photo)
                error = " ".join(p.message for p in refused.problems if p.field != "photos")
            except ApplicationError as refused:
                files_error = refused.message
            else:
                messages.success(request, _thanks(created))
                return redirect("tickets:portal-case", number=created.case.number)
    back = reverse("tickets:portal-help-branch", kwargs={"order_id": order.pk, "branch": kind})
    policy = policy_for(order)
    open_ids = {line.pk for line, _n in claimable}
    rows = [
        {
            "line": line,
            "decision": decisions[line.pk],
            "field": form.quantity(line) if line.pk in open_ids else None,
        }
        for line in lines
    ]
    context = {
        "portal_customer": request.portal_customer,  # type: ignore[attr-defined]
        "order": order,
        "entry": entry,
        "kind": kind,
        "rows": rows,
        "form": form,
        "sender": sender,
        "error": error,
        "files_error": files_error,
        "photos_required": kind == Kind.DEFECT and policy.photos_required_for_defect,
        # After "What happened?" and "Which item?" (the wizard's steps).
        "step": 3,
        "steps": 3,
        "back_url": f"{back}?{urlencode({'selected': preselected})}" if preselected else back,
    }
    return render(request, "returns/portal/claim_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@evidence_upload_limits
@portal_page
def return_form(request: HttpRequest, order_id: int) -> HttpResponse:
    """The wizard's return branch. Multipart: the files go through the evidence check before
    anything is stored. 400 for a bad form or a refused claim, 409 for units already claimed."""
    return _claim(request, order_id, Kind.RETURN)


@require_http_methods(["GET", "HEAD", "POST"])
@evidence_upload_limits
@portal_page
def defect_form(request: HttpRequest, order_id: int) -> HttpResponse:
    """The wizard's defect branch; like return_form."""
    return _claim(request, order_id, Kind.DEFECT)
