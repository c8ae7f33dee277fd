"""The project's URLs plus a form view that takes evidence the way the portal's forms do:
behind evidence_upload_limits, through evidence_prepare, into message_add."""

from django.http import HttpResponse
from django.urls import include, path

from tickets.errors import EvidenceRefused
from tickets.models import Case, Message
from tickets.portal.uploads import evidence_upload_limits
from tickets.services.evidence import evidence_prepare
from tickets.services.messages import message_add


@evidence_upload_limits
def upload_view(request, case_id: int):
    case = Case.objects.get(pk=case_id)
    try:
        prepared = evidence_prepare(request.FILES.getlist("files"))
    except EvidenceRefused as refused:
        return HttpResponse(refused.message, status=400, content_type="text/plain")
    message = message_add(
        case=case,
        body=request.POST.get("body", ""),
        author_kind=Message.Author.CUSTOMER,
        actor=None,
        attachments=prepared,
    )
    return HttpResponse(str(message.pk), status=201, content_type="text/plain")


urlpatterns = [
    path("test/evidence/<int:case_id>/", upload_view),
    path("", include("aftersales.urls")),
]
