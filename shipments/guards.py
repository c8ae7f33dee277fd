"""Guards the shipment-issue kind puts on case moves (tickets.scenarios.Guard)."""

from django.utils.translation import gettext_lazy as _

from shipments.models import InsuranceClaim
from tickets.models import Case
from tickets.scenarios import Text

# Claims whose answer or payout may still come; a closed case takes no payout.
CLAIM_UNDER_WAY = (
    InsuranceClaim.Status.SUBMITTED,
    InsuranceClaim.Status.IN_REVIEW,
    InsuranceClaim.Status.APPROVED,
    InsuranceClaim.Status.PARTIALLY_APPROVED,
)


def claim_keeps_case_open(case: Case, to: str) -> Text | None:
    """A case with an insurance claim under way is not closed: the payout is booked on it."""
    if to != Case.Status.CLOSED:
        return None
    if InsuranceClaim.objects.filter(case=case, status__in=CLAIM_UNDER_WAY).exists():
        return _("An insurance claim on this case is still under way; its payout is booked here.")
    return None
