"""The customer's "my parcel hasn't arrived or is late", from the portal: it joins the parcel's
one shipment-issue case (opened now if detection has not opened it already)."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override

from shipments.models import Shipment
from shipments.services.issue_cases import issue_case_for
from shipments.verbs import Verb
from tickets.models import Case, Message
from tickets.services import timeline
from tickets.services.messages import message_add


@transaction.atomic
def shipment_customer_report(
    *,
    shipment: Shipment,
    body: str = "",
    attachments: Sequence["UploadedFile[bytes]"] = (),
) -> tuple[Case, bool]:
    """Add the customer's report about `shipment` to its shipment-issue case: their words (or,
    without any, a line saying the parcel has not arrived) and files as a customer message, and
    a CUSTOMER_REPORT event. Returns (case, opened now). A second report lands on the same case.

    Raises NotAllowed when that case is closed and what message_add raises for a file; nothing
    is stored then, not even a case opened on the way."""
    case, opened = issue_case_for(shipment=shipment, channel=Case.Channel.PORTAL)
    if not body.strip():
        with override(case.language):
            body = _("My parcel %(tracking_number)s hasn't arrived or is late.") % {
                "tracking_number": shipment.tracking_number
            }
    message_add(
        case=case,
        body=body,
        author_kind=Message.Author.CUSTOMER,
        actor=None,
        attachments=attachments,
    )
    timeline.record(
        case=case,
        verb=Verb.CUSTOMER_REPORT,
        actor=None,
        data={
            "shipment": shipment.pk,
            "tracking_number": shipment.tracking_number,
            "status": shipment.status,
            "opened": opened,
        },
    )
    return case, opened
