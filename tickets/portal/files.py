"""Evidence files, served to the case's customer only."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tickets import selectors
from tickets.downloads import attachment_response
from tickets.portal.session import portal_customer_required


@require_GET
@portal_customer_required
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of a public message on one of the signed-in customer's cases; anything else is
    404, the same as a file that does not exist. Pictures open in the browser, PDFs download."""
    attachment = selectors.attachment_get_for_customer(
        pk=pk,
        customer=request.portal_customer,  # type: ignore[attr-defined]
    )
    if attachment is None:
        raise Http404
    return attachment_response(request, attachment, inline=True)
