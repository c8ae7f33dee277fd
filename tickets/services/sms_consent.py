"""A customer's consent to SMS: withdrawn when they reply STOP, and checked again by delivery
right before a text goes out (tickets.services.delivery) and when an agent sends one again."""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tickets.errors import ApplicationError
from tickets.models import Case, Customer, Notification
from tickets.services import timeline
from tickets.services.outbox import notifications_move

logger = logging.getLogger(__name__)

# Stored in English like every provider error; pages show it through {% translate %}.
STOP_REASON = gettext_noop("The customer replied STOP.")
# A text found at the send to have lost its customer's consent since it was written.
NO_CONSENT_REASON = gettext_noop("The customer no longer agrees to SMS; the text was not sent.")


@dataclass(frozen=True)
class ConsentWithdrawal:
    """What a STOP changed: customers who had agreed to SMS, and pending texts cancelled."""

    customers: int
    notifications: int


class SmsConsentWithdrawn(ApplicationError):
    code = "sms_consent_withdrawn"

    def __init__(self) -> None:
        super().__init__(
            _("The customer no longer agrees to SMS (they replied STOP); this text is not sent.")
        )


def _withdrawn_events(*, customer_ids: list[int], source: str, cancelled: int) -> None:
    # The timeline agents read: every active case of the customer, or their latest case when
    # none is active, shows that texts stopped. Customers without a case only get the log line.
    active = list(
        Case.objects.filter(customer_id__in=customer_ids, active=True)
        .values_list("pk", "customer_id")
        .order_by("pk")
    )
    case_ids = [pk for pk, _customer in active]
    for customer_id in sorted(set(customer_ids) - {customer for _pk, customer in active}):
        latest = (
            Case.objects.filter(customer_id=customer_id)
            .order_by("-created_at", "-pk")
            .values_list("pk", flat=True)
            .first()
        )
        if latest is not None:
            case_ids.append(latest)
    timeline.bulk_sms_consent_withdrawn_events(
        case_ids=case_ids, source=source, cancelled=cancelled
    )


@transaction.atomic
def sms_consent_withdraw(*, phone: str, source: str) -> ConsentWithdrawal:
    """Stop every SMS to `phone`: each customer with that number no longer agrees to SMS (so
    notify() sends them none), and SMS still pending to it are failed with "The customer
    replied STOP.". Customers whose consent changes get a `sms_consent_withdrawn` event on their
    active cases (or latest case). A blank `phone` changes nothing; a repeat is harmless."""
    phone = phone.strip()
    if not phone:
        return ConsentWithdrawal(customers=0, notifications=0)
    now = timezone.now()
    customer_ids = list(
        Customer.objects.select_for_update()
        .filter(phone=phone, sms_consent=True)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    Customer.objects.filter(pk__in=customer_ids).update(sms_consent=False, updated_at=now)
    # By number, not by customer: a text queued before the customer changed their number still
    # goes to this one. Set-based; the status filter leaves rows already sent alone. A text a
    # worker is sending right now (claimed) is left to that worker: it checks consent again
    # under its claim, just before the send, and fails the text itself if it is too late.
    waiting = Notification.objects.filter(
        channel=Notification.Channel.SMS, recipient=phone
    ).exclude(claimed_until__gt=now)
    cancelled = notifications_move(
        notifications=waiting,
        to=Notification.Status.FAILED,
        from_=[Notification.Status.PENDING, Notification.Status.HELD],
        last_error=STOP_REASON,
        claimed_until=None,
    )
    if customer_ids:
        _withdrawn_events(customer_ids=customer_ids, source=source, cancelled=cancelled)
    logger.info(
        "SMS opt-out via %s: consent withdrawn for customers %s, %d pending SMS cancelled.",
        source, customer_ids or "none", cancelled,
    )  # fmt: skip
    return ConsentWithdrawal(customers=len(customer_ids), notifications=cancelled)


def sms_consent_given(*, customer_id: int) -> bool:
    """Whether the customer still agrees to SMS (a STOP withdraws it)."""
    return Customer.objects.filter(pk=customer_id, sms_consent=True).exists()
