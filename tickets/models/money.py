from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.money import money_str
from tickets.validators import (
    validate_amount_for_currency,
    validate_currency,
    validate_non_negative,
)

from .cases import Case
from .choices import ChoiceLabels


class ExchangeRate(models.Model):
    """How many units of BASE_CURRENCY one unit of `currency` buys, as last set."""

    currency = models.CharField(
        _("currency"), max_length=3, unique=True, validators=[validate_currency]
    )
    rate = models.DecimalField(_("rate to base currency"), max_digits=18, decimal_places=8)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency"]
        constraints = [models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive")]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} {settings.BASE_CURRENCY}"


class Compensation(ChoiceLabels, models.Model):
    """One line of what making a case right cost, in the order's and the shop's currency."""

    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund")
        PARTIAL_REFUND = "partial_refund", _("Partial refund")
        STORE_CREDIT = "store_credit", _("Store credit")
        DISCOUNT_CODE = "discount_code", _("Discount code")
        REPLACEMENT = "replacement", _("Replacement")
        REPAIR = "repair", _("Repair")
        INSURANCE_PAYOUT = "insurance_payout", _("Insurance payout")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    # What the customer gets in kind, not in money: issued when its parcel leaves, and the
    # case's milestones, not the ledger, tell the customer where it is.
    GOODS = frozenset({Kind.REPLACEMENT, Kind.REPAIR})

    # The ledger's moves (django-oscar's pipeline): a proposal is approved or rejected; an
    # approved one is issued, fails (and may be issued again) or is called off. Issued,
    # rejected and cancelled are final.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PROPOSED: frozenset({Status.APPROVED, Status.REJECTED}),
        Status.APPROVED: frozenset({Status.ISSUED, Status.FAILED, Status.CANCELLED}),
        Status.FAILED: frozenset({Status.ISSUED, Status.CANCELLED}),
        Status.ISSUED: frozenset(),
        Status.REJECTED: frozenset(),
        Status.CANCELLED: frozenset(),
    }

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="compensations", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=3, validators=[validate_non_negative]
    )
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    base_amount = models.DecimalField(_("amount in base currency"), max_digits=14, decimal_places=3)
    base_currency = models.CharField(
        _("base currency"), max_length=3, validators=[validate_currency]
    )
    exchange_rate = models.DecimalField(_("exchange rate used"), max_digits=18, decimal_places=8)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED, editable=False
    )
    needs_supervisor = models.BooleanField(_("needs a supervisor's approval"), default=False)
    external_reference = models.CharField(_("external reference"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    failure_reason = models.CharField(_("failure reason"), max_length=500, blank=True)
    reason = models.CharField(
        _("reason"),
        max_length=500,
        blank=True,
        help_text=_("Why it was rejected or cancelled."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # No proposer and this: the customer's own choice in the portal; no proposer without it:
    # the system (a refund released by a carrier scan, an insurer's payout).
    proposed_by_customer = models.BooleanField(
        _("proposed by the customer"), default=False, editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        ordering = ["created_at", "pk"]
        permissions = [("approve_compensation", _("Can approve compensation above the limit"))]
        # The approval queue's two tabs (tickets.selectors.compensations.QUEUE_TABS), oldest
        # first: each reads its few rows from a small partial index, not the whole ledger.
        indexes = [
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status="proposed", needs_supervisor=True),
                name="compensation_waiting",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status__in=["approved", "failed"]),
                name="compensation_approved",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) & models.Q(base_amount__gte=0),
                name="compensation_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {money_str(self.amount, self.currency)} {self.currency}"

    def clean(self) -> None:
        validate_amount_for_currency(self.amount, self.currency, "amount")
