"""Acting at once on small orders: the moment a wrong item is reported on an order worth less
than WRONG_ITEM_PROPOSE_BELOW, the case gets a proposal (the customer's preference, the right
item by express or a refund, plus a discount code of WRONG_ITEM_PROPOSED_DISCOUNT percent) that
waits for one agent click to accept or dismiss it."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from tickets.services import timeline
from tickets.services.compensations import amount_in_base
from tickets.services.timeline import Actor
from wrong_items.discounts import DiscountAdapter
from wrong_items.errors import ProposalNotWaiting
from wrong_items.models import DiscountCode, WrongItemReport
from wrong_items.services.actions import report_refund, reship_approve
from wrong_items.services.discounts import discount_issue
from wrong_items.verbs import Verb


def proposal_due(report: WrongItemReport) -> bool:
    """Whether the report's order is small enough for a proposal (never without a rate to
    compare its total in BASE_CURRENCY, nor with proposals turned off)."""
    limit = settings.WRONG_ITEM_PROPOSE_BELOW
    if limit <= 0 or settings.WRONG_ITEM_PROPOSED_DISCOUNT <= 0:
        return False
    total = amount_in_base(report.order.total, report.order.currency)
    return total is not None and total < limit


def proposal_make(*, report: WrongItemReport) -> bool:
    """Put a proposal on a new report when its order is small enough; whether it did."""
    if not proposal_due(report):
        return False
    report.proposal = WrongItemReport.Proposal.WAITING
    report.proposed_discount = settings.WRONG_ITEM_PROPOSED_DISCOUNT
    report.save(update_fields=["proposal", "proposed_discount"])
    timeline.record(
        case=report.case,
        verb=Verb.PROPOSED,
        actor=None,
        data={
            "preference": report.preference,
            "discount": str(report.proposed_discount),
            **timeline.BY_SYSTEM,
        },
    )
    return True


def _waiting(report: WrongItemReport) -> WrongItemReport:
    report = (
        WrongItemReport.objects.select_for_update(of=("self",))
        .select_related("case", "order", "order_line")
        .get(pk=report.pk)
    )
    if report.proposal != WrongItemReport.Proposal.WAITING:
        raise ProposalNotWaiting(report.get_proposal_display())
    return report


@transaction.atomic
def proposal_accept(
    *, report: WrongItemReport, actor: Actor, adapter: DiscountAdapter | None = None
) -> WrongItemReport:
    """Carry out the waiting proposal: approve the express reshipment (its tracking number is
    entered when the warehouse ships it) or propose the refund the customer asked for, then give
    the discount code (through `adapter`, default the configured one), which emails the
    customer.

    Raises ProposalNotWaiting, and what reship_approve, report_refund and discount_issue raise
    (the reshipment or refund already done, a closed case, the shop refusing the code); nothing
    is stored then."""
    report = _waiting(report)
    assert report.proposed_discount is not None  # noqa: S101 - set with every waiting proposal
    # First, so the steps below see it taken (acting by hand would set it aside).
    report.proposal = WrongItemReport.Proposal.ACCEPTED
    report.save(update_fields=["proposal"])
    if report.preference == WrongItemReport.Preference.REFUND:
        report_refund(report=report, actor=actor)
    else:
        reship_approve(report=report, actor=actor)
    # Last: pushing the code to the shop is the one step outside the database.
    discount_issue(
        report=report,
        value_type=DiscountCode.ValueType.PERCENTAGE,
        value=report.proposed_discount,
        actor=actor,
        adapter=adapter,
    )
    timeline.record(case=report.case, verb=Verb.PROPOSAL_ACCEPTED, actor=actor, data={})
    return report


@transaction.atomic
def proposal_dismiss(*, report: WrongItemReport, actor: Actor, reason: str = "") -> WrongItemReport:
    """Set the waiting proposal aside (the agent acts on the case by hand). Raises
    ProposalNotWaiting."""
    report = _waiting(report)
    report.proposal = WrongItemReport.Proposal.DISMISSED
    report.save(update_fields=["proposal"])
    timeline.record(
        case=report.case,
        verb=Verb.PROPOSAL_DISMISSED,
        actor=actor,
        data={"reason": reason.strip() or _("No reason given.")},
    )
    return report
