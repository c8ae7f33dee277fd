"""Label downloads: the customer's own return label in the portal, any label of a case the
agent sees in the dashboard; anyone else gets 404, like a label that does not exist.
`?size=a4` (default) or `?size=4x6`."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shipments.labels.fonts import LabelFontsMissing
from shipments.labels.models import Label
from shipments.labels.pdf import SIZES, Size, label_pdf
from shipments.labels.selectors import label_for_agent, portal_label_get
from tickets.portal.pages import portal_page


def _pdf_response(request: HttpRequest, label: Label, *, language: str) -> HttpResponse:
    size = request.GET.get("size", "a4")
    if size not in SIZES:
        return HttpResponse(
            _("Unknown label size %(size)s: use a4 or 4x6.") % {"size": size[:20]},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    page_size: Size = "a4" if size == "a4" else "4x6"
    try:
        body = label_pdf(label=label, size=page_size, language=language)
    except LabelFontsMissing as exc:
        return HttpResponse(exc.message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="label-{label.pk}-{size}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@portal_page
def portal_label_pdf(request: HttpRequest, label_id: int) -> HttpResponse:
    label = portal_label_get(
        customer=request.portal_customer,  # type: ignore[attr-defined]
        label_id=label_id,
    )
    if label is None:
        raise Http404
    return _pdf_response(request, label, language=translation.get_language() or "en")


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_label_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    label = label_for_agent(pk=pk, user=request.user)
    if label is None:
        raise Http404
    # The agent prints what the customer reads: in the case's language.
    case = label.shipment.case
    language = case.language if case else label.shipment.order.customer.language
    return _pdf_response(request, label, language=language)
