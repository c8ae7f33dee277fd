"""Customers' email into cases: one service for the inbound webhooks and the polled mailbox.

An email finds its case, in this order, by
1. the signed reply+<case number>.<signature>@REPLY_DOMAIN address it was sent to;
2. its In-Reply-To/References naming an email we sent about a case (Notification.message_id)
   or one received on it before (InboundEmail.message_id), when it comes from the case's
   customer;
3. a case number in its subject, when it comes from that case's customer.
Never by the From address alone: an email that matches none of these opens a new general
case for its sender. A reply to a closed case (which takes no more messages) opens a
follow-up case for the same customer and order that names the closed one."""

import imaplib
import logging
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.message import Message as AnyMessage
from email.utils import parseaddr
from typing import cast

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from tickets.inbound import imap, parsing, text
from tickets.models import Case, Customer, InboundEmail, Message, Notification
from tickets.models.cases import CASE_NUMBER_ALPHABET
from tickets.services.cases import case_create
from tickets.services.messages import message_add
from tickets.services.notifications import case_number_from_reply_address
from tickets.services.outbox import notifications_move

logger = logging.getLogger(__name__)

DUPLICATE = "duplicate"
SUBJECT_MAX_LENGTH = 255
NAME_MAX_LENGTH = 200
# One poll handles at most this many emails, and stops starting new ones after this long: a
# run ends well before beat starts the next one a minute later and far inside the task's
# time limit, even with large attachments; a backlog drains over the following minutes.
POLL_BATCH = 50
POLL_SECONDS = 45


@dataclass(frozen=True)
class Receipt:
    """What one email did: an InboundEmail.Outcome, or "duplicate" for one seen before.
    `reason` says how it matched (token, thread, subject, none) or why it was ignored."""

    outcome: str
    reason: str
    message_id: str
    case_number: str | None = None


@dataclass(frozen=True)
class _Match:
    case: Case
    reason: str


def _sent_by_customer(case: Case, address: str) -> bool:
    return bool(address) and case.customer.email.casefold() == address.casefold()


def _match_by_token(message: EmailMessage) -> _Match | None:
    for address in parsing.recipient_addresses(message):
        number = case_number_from_reply_address(address)
        if number is None:
            if address.lower().startswith("reply+"):
                logger.warning("Inbound email to %s: the reply token is not ours.", address)
            continue
        case = Case.objects.select_related("customer").filter(number=number).first()
        if case is not None:
            return _Match(case, "token")
    return None


def _match_by_thread(message: EmailMessage, address: str) -> _Match | None:
    # Our Message-IDs are derived from the notification's key, and the key from the case
    # number, so a thread header alone proves no more than knowing the number: it also
    # needs the case's customer as sender.
    ids = parsing.referenced_ids(message)
    if not ids:
        return None
    case_ids: dict[str, int] = dict(
        InboundEmail.objects.filter(message_id__in=ids, case__isnull=False).values_list(
            "message_id", "case_id"
        )
    )
    case_ids.update(
        Notification.objects.filter(message_id__in=ids, case__isnull=False).values_list(
            "message_id", "case_id"
        )
    )
    cases = Case.objects.select_related("customer").in_bulk(set(case_ids.values()))
    for referenced in ids:
        case = cases.get(case_ids.get(referenced, 0))
        if case is not None and _sent_by_customer(case, address):
            return _Match(case, "thread")
    return None


def _match_by_subject(subject: str, address: str) -> _Match | None:
    numbers = parsing.case_numbers(
        subject, prefix=settings.CASE_NUMBER_PREFIX, alphabet=CASE_NUMBER_ALPHABET
    )
    if not numbers or not address:
        return None
    cases = Case.objects.select_related("customer").filter(
        number__in=numbers, customer__email__iexact=address
    )
    by_number = {case.number: case for case in cases if _sent_by_customer(case, address)}
    return next((_Match(by_number[n], "subject") for n in numbers if n in by_number), None)


def _own_addresses() -> frozenset[str]:
    return frozenset(
        parseaddr(value)[1].lower()
        for value in (settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)
        if parseaddr(value)[1]
    )


def _is_address(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return len(address) <= cast(int, Customer._meta.get_field("email").max_length)


def _customer_for(*, address: str, name: str) -> Customer:
    """The customer with this email address, or a new one (language: the default)."""
    customer = Customer.objects.filter(email__iexact=address).first()
    if customer is not None:
        return customer
    customer = Customer(email=address, name="" if name == address else name[:NAME_MAX_LENGTH])
    customer.full_clean(validate_constraints=False)
    try:
        # A savepoint: the same stranger's second email, received at the same moment, may
        # create them first; then it is theirs we use.
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        customer = Customer.objects.get(email__iexact=address)
    return customer


def _content(message: EmailMessage) -> tuple[str, list["UploadedFile[bytes]"]]:
    """The message text and the files to store; a file over EVIDENCE_MAX_FILE_BYTES is left out
    with a line in the text saying so."""
    uploads: list[UploadedFile[bytes]] = []
    dropped: list[str] = []
    limit = settings.EVIDENCE_MAX_FILE_BYTES
    for attached in parsing.attachments(message):
        if attached.size > limit:
            logger.info(
                "Inbound attachment %s (%d bytes) dropped.", attached.filename, attached.size
            )
            dropped.append(
                _("[The attachment “%(name)s” (%(size)s) was not kept: files may be %(limit)s.]")
                % {
                    "name": attached.filename,
                    "size": filesizeformat(attached.size),
                    "limit": filesizeformat(limit),
                }
            )
            continue
        uploads.append(
            SimpleUploadedFile(attached.filename, attached.content, attached.content_type)
        )
    words = text.body_text(message)
    if not words:
        words = _("(This email has attachments only.)") if uploads else _("(This email is empty.)")
    return "\n\n".join([words, *dropped]), uploads


def _case_open(*, customer: Customer, subject: str, follows: Case | None = None) -> Case:
    """A general email case; a follow-up keeps the closed case's order and language."""
    return case_create(
        customer=customer,
        kind=Case.Kind.GENERAL,
        subject=subject,
        channel=Case.Channel.EMAIL,
        actor=None,
        order=follows.order if follows else None,
        language=follows.language if follows else None,
    )


def _claim(**fields: object) -> InboundEmail | None:
    """The InboundEmail row, written before anything else so that a second delivery of the
    same email waits for this one's transaction and then collides with it; None when it did."""
    try:
        with transaction.atomic():
            return InboundEmail.objects.create(**fields)
    except IntegrityError:
        return None


def _bounced(message: EmailMessage) -> None:
    """A mail server returned one of our emails for good: its notification is failed, with the
    server's reason, so agents see it and nobody retries it blindly."""
    bounce = parsing.bounce(message)
    if bounce is None:
        return
    marked = notifications_move(
        notifications=Notification.objects.filter(
            message_id=bounce.message_id, channel=Notification.Channel.EMAIL
        ),
        to=Notification.Status.FAILED,
        last_error=_("Bounced after sending: %(reason)s") % {"reason": bounce.reason},
    )
    logger.info("Bounce for %s: %s (%d notification marked failed).", bounce.message_id,
                bounce.reason, marked)  # fmt: skip


@transaction.atomic
def inbound_email_receive(*, message: AnyMessage, source: str) -> Receipt:
    """Put a customer's email on its case as their message, with its attachments, or open a
    new general case for it; ignore bounces, auto-replies and other machine mail. An email
    whose Message-ID was received before changes nothing and returns outcome "duplicate".

    `message` is an email.message.EmailMessage, e.g. anymail's AnymailInboundMessage;
    `source` names where it came from ("mailgun", "imap", …)."""
    message = parsing.normalise(message)
    message_id = parsing.message_id(message)
    seen = InboundEmail.objects.filter(message_id=message_id).select_related("case").first()
    if seen is not None:
        number = seen.case.number if seen.case else None
        return Receipt(outcome=DUPLICATE, reason="", message_id=message_id, case_number=number)
    name, address = parsing.sender(message)
    subject = parsing.subject(message)
    record = {
        "message_id": message_id,
        "source": source[:30],
        "sender": address[:254],
        "subject": subject[:SUBJECT_MAX_LENGTH],
    }

    ignored = parsing.ignore_reason(
        message, own_addresses=_own_addresses(), reply_domain=settings.REPLY_DOMAIN
    ) or (None if _is_address(address) else "no_sender")
    if ignored:
        if _claim(**record, outcome=InboundEmail.Outcome.IGNORED, reason=ignored) is None:
            return Receipt(outcome=DUPLICATE, reason="", message_id=message_id)
        logger.info("Inbound email %s from %r ignored: %s.", message_id, address, ignored)
        _bounced(message)
        return Receipt(outcome=InboundEmail.Outcome.IGNORED, reason=ignored, message_id=message_id)

    match = (
        _match_by_token(message)
        or _match_by_thread(message, address)
        or _match_by_subject(subject, address)
    )
    if match is None:
        outcome, reason = InboundEmail.Outcome.NEW_CASE, "none"
    elif match.case.status == Case.Status.CLOSED:
        outcome, reason = InboundEmail.Outcome.FOLLOW_UP, match.reason
    else:
        outcome, reason = InboundEmail.Outcome.ATTACHED, match.reason
    row = _claim(**record, outcome=outcome, reason=reason)
    if row is None:
        return Receipt(outcome=DUPLICATE, reason="", message_id=message_id)

    body, uploads = _content(message)
    title = subject[:SUBJECT_MAX_LENGTH] or _("Email without a subject")
    if match is None:
        customer = _customer_for(address=address, name=name)
        case = _case_open(customer=customer, subject=title)
    elif outcome == InboundEmail.Outcome.FOLLOW_UP:
        closed = match.case
        case = _case_open(customer=closed.customer, subject=title, follows=closed)
    else:
        case = match.case
    added = message_add(
        case=case, body=body, author_kind=Message.Author.CUSTOMER, actor=None, attachments=uploads
    )
    if match is not None and outcome == InboundEmail.Outcome.FOLLOW_UP:
        message_add(
            case=case,
            body=_("Follow-up of closed case %(number)s: the customer wrote again after it closed.")
            % {"number": match.case.number},
            author_kind=Message.Author.SYSTEM,
            visibility=Message.Visibility.INTERNAL,
            actor=None,
        )
    InboundEmail.objects.filter(pk=row.pk).update(case=case, customer_message=added)
    logger.info("Inbound email %s (%s): %s, case %s.", message_id, reason, outcome, case.number)
    return Receipt(outcome=outcome, reason=reason, message_id=message_id, case_number=case.number)


def inbound_mail_poll(
    *, url: str = "", batch_size: int = POLL_BATCH, seconds: float = POLL_SECONDS
) -> int:
    """Receive the unseen email of the IMAP_URL mailbox (or `url`), oldest first, and mark
    each seen once its transaction committed; returns how many were handled. An email that
    fails stays unseen and is tried again next time; one handled but not yet marked seen when
    the worker died is a duplicate next time, so nothing is ever added twice.

    Call it outside any transaction: the mark comes after each email's commit."""
    url = url or settings.IMAP_URL
    if not url:
        return 0
    deadline = time.monotonic() + seconds
    handled = 0
    try:
        with imap.MailboxClient(imap.mailbox_from_url(url)) as mailbox:
            for uid in mailbox.unseen(limit=batch_size):
                if time.monotonic() > deadline:
                    break
                raw = mailbox.fetch(uid)
                if raw is None:
                    continue
                try:
                    inbound_email_receive(message=parsing.parse(raw), source="imap")
                except SoftTimeLimitExceeded:
                    raise
                except Exception:
                    # One email that cannot be handled must not hold back those after it.
                    logger.exception("Inbound email %s of the mailbox failed; left unseen.", uid)
                    continue
                mailbox.mark_seen(uid)
                handled += 1
    except (OSError, imaplib.IMAP4.error) as exc:
        logger.warning("Mailbox poll stopped after %d emails: %s", handled, exc)
    return handled
