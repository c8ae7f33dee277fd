"""Messages on a case: customer messages, agent replies and internal notes.

Below the case services that open a case (cases.py writes the customer's first message here)
and above the status machine (a customer's message reopens a case through it)."""

import logging
from collections.abc import Sequence
from typing import cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import AttachmentTooLarge, NotAllowed, TransitionRefused
from tickets.models import Attachment, Case, Message
from tickets.services import sla, timeline
from tickets.services.case_rows import case_lock_current, case_save
from tickets.services.notifications import notify
from tickets.services.timeline import Actor
from tickets.services.transitions import case_transition

logger = logging.getLogger(__name__)

# A customer writing on a case that waits for them, or was resolved, puts it back in the queue.
REOPENED_BY_CUSTOMER = {Case.Status.WAITING_ON_CUSTOMER, Case.Status.RESOLVED}


@transaction.atomic
def message_add(
    *,
    case: Case,
    body: str,
    author_kind: str,
    actor: Actor,
    visibility: str = Message.Visibility.PUBLIC,
    attachments: Sequence["UploadedFile[bytes]"] = (),
) -> Message:
    """Add a message with its attachments to `case`.

    An agent's public reply stops the first- and next-response clocks (tickets.services.sla);
    a customer's message reopens a case that waits on them or was resolved, and after the
    first response starts the next-response clock. Raises NotAllowed on a closed case and
    AttachmentTooLarge for a file over EVIDENCE_MAX_FILE_BYTES. A guard of the case's scenario
    refusing the reopen keeps the case where it is, not the message out."""
    case = case_lock_current(case=case)
    if case.status == Case.Status.CLOSED:
        raise NotAllowed(_("Case %(number)s is closed.") % {"number": case.number})
    for upload in attachments:
        if upload.size > settings.EVIDENCE_MAX_FILE_BYTES:
            raise AttachmentTooLarge(
                _("%(name)s is larger than %(limit)s MB.")
                % {"name": upload.name, "limit": settings.EVIDENCE_MAX_FILE_BYTES // 1024 // 1024}
            )
    message = Message(
        case=case,
        body=body,
        author_kind=author_kind,
        author_user=actor,
        visibility=visibility,
    )
    message.full_clean()
    message.save()
    for upload in attachments:
        # An upload always has a name and a size; UploadedFile types both as optional.
        Attachment.objects.create(
            message=message,
            file=upload,
            filename=cast(str, upload.name),
            content_type=upload.content_type or "application/octet-stream",
            size=cast(int, upload.size),
        )
    timeline.message_added_event(
        case=case, actor=actor, message=message, attachments=len(attachments)
    )
    is_agent_reply = author_kind == Message.Author.AGENT and visibility == Message.Visibility.PUBLIC
    if is_agent_reply:
        notify(
            customer=case.customer,
            event="agent_reply",
            key=str(message.pk),
            case=case,
            context={"message": message},
        )
    if is_agent_reply:
        fields = sla.sla_on_agent_reply(case=case, now=timezone.now())
        if fields:
            case_save(case=case, fields=fields)
    elif author_kind == Message.Author.CUSTOMER:
        if case.status in REOPENED_BY_CUSTOMER:
            try:
                case = case_transition(
                    case=case, to=Case.Status.OPEN, actor=None, reason="customer_replied"
                )
            except TransitionRefused as refused:
                # The case's scenario keeps it where it is; the customer's words are kept anyway.
                logger.info("Case %s stays %s: %s", case.number, case.status, refused)
        # After the reopen: the update clock starts now, not pushed by the wait just ended.
        fields = sla.sla_on_customer_message(case=case, now=timezone.now())
        if fields:
            case_save(case=case, fields=fields)
    return message
