"""Return policies and return requests (RMAs) with their lines.

Two rights, two clocks (DESIGN.md): a *return* runs on the policy's return window (in the EU at
least the 14-day right of withdrawal from the day after delivery), a *defect claim* on the
warranty (in the EU the 24-month legal guarantee from delivery). Which applies to an order line
is decided in returns.services.policy; the decision is kept on the request."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tickets.models import Attachment, Case, Compensation, Order, OrderLine
from tickets.models.choices import ChoiceLabels

# The EU member states: their customers have the 14-day right of withdrawal and the 2-year
# legal guarantee, whatever a policy says.
EU_COUNTRIES = frozenset(
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE"}
    | {"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
)
EU_WITHDRAWAL_DAYS = 14
EU_GUARANTEE_MONTHS = 24

# Like case numbers: nothing that reads two ways over the phone (no 0/O, 1/I/L, 2/Z, 5/S, 8/B).
RMA_ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"


def new_rma_number() -> str:
    code = "".join(secrets.choice(RMA_ALPHABET) for _ in range(8))
    return f"RMA-{code[:4]}-{code[4:]}"


class ReturnPolicy(ChoiceLabels, models.Model):
    """The return and warranty rules for orders shipped to `country` (blank: every country
    without a policy of its own). Supervisors manage them in the admin."""

    class CountedFrom(models.TextChoices):
        DELIVERY = "delivery", _("Delivery (order date while no delivery is known)")
        ORDER = "order", _("Order date")

    class ShippingPaidBy(models.TextChoices):
        SHOP = "shop", _("The shop")
        CUSTOMER = "customer", _("The customer")

    class RefundRelease(models.TextChoices):
        APPROVAL = "approval", _("On approval")
        IN_TRANSIT = "in_transit", _("When the parcel is on its way back")
        DELIVERED = "delivered", _("When the parcel reaches the warehouse")
        INSPECTED = "inspected", _("After inspection")

    name = models.CharField(_("name"), max_length=100)
    country = CountryField(
        _("destination country"),
        blank=True,
        help_text=_("Orders shipped there follow this policy; blank for every other country."),
    )
    active = models.BooleanField(_("active"), default=True)
    window_days = models.PositiveSmallIntegerField(
        _("return window (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Counted from the day after delivery (or the order date)."),
    )
    counted_from = models.CharField(
        _("counted from"), max_length=10, choices=CountedFrom.choices, default=CountedFrom.DELIVERY
    )
    grace_days = models.PositiveSmallIntegerField(
        _("grace days for the parcel's travel"),
        default=7,
        validators=[MaxValueValidator(365)],
        help_text=_("A return sent by the deadline is accepted if it arrives this much later."),
    )
    excluded_skus = models.TextField(
        _("excluded SKUs"),
        blank=True,
        help_text=_(
            "One pattern a line, * for any characters (e.g. GIFT-*): these cannot be returned. "
            "Defect claims under warranty are still accepted."
        ),
    )
    excluded_categories = models.TextField(
        _("excluded product categories"),
        blank=True,
        help_text=_(
            "One category a line, as the shop names it (e.g. Gift cards), ignoring case: "
            "these cannot be returned. Defect claims under warranty are still accepted."
        ),
    )
    no_questions_asked = models.BooleanField(
        _("no questions asked"),
        default=True,
        help_text=_("Returns within the window are approved without an agent's review."),
    )
    photos_required_for_defect = models.BooleanField(
        _("photos required for a defect"), default=True
    )
    return_shipping_paid_by = models.CharField(
        _("return shipping of a return paid by"),
        max_length=10,
        choices=ShippingPaidBy.choices,
        default=ShippingPaidBy.SHOP,
        help_text=_("The shop always pays the return shipping of a defective item."),
    )
    restocking_fee_percent = models.DecimalField(
        _("restocking fee (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Kept from the refund of a return that is not defective."),
    )
    auto_approve_max_value = models.DecimalField(
        _("auto-approval up to (base currency)"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "Requests worth more wait for an agent; blank: none is approved automatically."
        ),
    )
    refund_release = models.CharField(
        _("refund released"),
        max_length=12,
        choices=RefundRelease.choices,
        default=RefundRelease.INSPECTED,
    )
    label_valid_days = models.PositiveSmallIntegerField(
        _("label valid (days)"), default=28, validators=[MinValueValidator(1)]
    )
    warranty_months = models.PositiveSmallIntegerField(
        _("warranty (months from delivery)"),
        default=EU_GUARANTEE_MONTHS,
        validators=[MaxValueValidator(600)],
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("return policy")
        verbose_name_plural = _("return policies")
        ordering = ["country", "name"]
        constraints = [
            # One active policy per destination (and one for every other country).
            models.UniqueConstraint(
                fields=["country"], condition=models.Q(active=True), name="return_policy_country"
            ),
            models.CheckConstraint(
                condition=models.Q(restocking_fee_percent__gte=0)
                & models.Q(restocking_fee_percent__lte=100),
                name="return_policy_fee_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code or '*'})"

    @property
    def sku_patterns(self) -> list[str]:
        return [line.strip() for line in self.excluded_skus.splitlines() if line.strip()]

    @property
    def categories(self) -> list[str]:
        return [line.strip() for line in self.excluded_categories.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.country and self.country.code in EU_COUNTRIES:
            errors = {}
            if self.window_days is not None and self.window_days < EU_WITHDRAWAL_DAYS:
                errors["window_days"] = _(
                    "Customers in the EU have at least %(days)d days to withdraw."
                ) % {"days": EU_WITHDRAWAL_DAYS}
            if self.warranty_months is not None and self.warranty_months < EU_GUARANTEE_MONTHS:
                errors["warranty_months"] = _(
                    "The EU's legal guarantee lasts at least %(months)d months."
                ) % {"months": EU_GUARANTEE_MONTHS}
            if errors:
                raise ValidationError(errors)


class SpecialWindow(models.Model):
    """Orders placed between `purchased_from` and `purchased_until` (both included) may be
    returned until `returnable_until` at least (e.g. holiday-season purchases until 15 January)."""

    policy = models.ForeignKey(
        ReturnPolicy,
        on_delete=models.CASCADE,
        related_name="special_windows",
        verbose_name=_("policy"),
    )
    name = models.CharField(_("name"), max_length=100)
    purchased_from = models.DateField(_("purchased from"))
    purchased_until = models.DateField(_("purchased until"))
    returnable_until = models.DateField(_("returnable until"))

    class Meta:
        verbose_name = _("special return window")
        verbose_name_plural = _("special return windows")
        ordering = ["purchased_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purchased_until__gte=models.F("purchased_from"))
                & models.Q(returnable_until__gte=models.F("purchased_until")),
                name="special_window_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.purchased_from and self.purchased_until and self.returnable_until:
            if self.purchased_until < self.purchased_from:
                raise ValidationError({"purchased_until": _("The period ends before it starts.")})
            if self.returnable_until < self.purchased_until:
                raise ValidationError(
                    {"returnable_until": _("Returns must be possible after the purchases.")}
                )


class Condition(models.TextChoices):
    """The condition grade an inspector gives a returned item."""

    A = "A", _("A: as new")
    B = "B", _("B: opened")
    C = "C", _("C: damaged")
    D = "D", _("D: unsellable")


class Disposition(models.TextChoices):
    """Where an inspected item goes next."""

    RESTOCK = "restock", _("Restock")
    REFURBISH = "refurbish", _("Refurbish")
    RETURN_TO_VENDOR = "return_to_vendor", _("Return to vendor")
    SCRAP = "scrap", _("Scrap")


class ReasonCode(models.TextChoices):
    # A defect
    DEAD_ON_ARRIVAL = "dead_on_arrival", _("Dead on arrival")
    STOPPED_WORKING = "stopped_working", _("Stopped working")
    DAMAGED_IN_TRANSIT = "damaged_in_transit", _("Damaged in transit")
    MISSING_PARTS = "missing_parts", _("Missing parts")
    NOT_AS_DESCRIBED = "not_as_described", _("Not as described")
    COSMETIC_DAMAGE = "cosmetic_damage", _("Cosmetic damage")
    # A return
    DOESNT_FIT = "doesnt_fit", _("Doesn't fit")
    CHANGED_MIND = "changed_mind", _("Changed my mind")
    ARRIVED_TOO_LATE = "arrived_too_late", _("Arrived too late")
    ORDERED_BY_MISTAKE = "ordered_by_mistake", _("Ordered by mistake")


class ReturnRequest(ChoiceLabels, models.Model):
    """A customer's request to send items of one order back: an RMA, on its own case."""

    class Kind(models.TextChoices):
        RETURN = "return", _("Return")
        DEFECT = "defect", _("Defect claim")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        LABEL_ISSUED = "label_issued", _("Label issued")
        IN_TRANSIT = "in_transit", _("On its way back")
        RECEIVED = "received", _("Received")
        INSPECTED = "inspected", _("Inspected")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Rejected")

    class Outcome(models.TextChoices):
        REFUND = "refund", _("Refund")
        REPLACEMENT = "replacement", _("Replacement")
        REPAIR = "repair", _("Repair")

    class Resolution(models.TextChoices):
        """What the shop does after inspection (a rejection is the `rejected` status)."""

        REFUND = "refund", _("Refund")
        STORE_CREDIT = "store_credit", _("Store credit")
        EXCHANGE = "exchange", _("Exchange for another variant")
        REPLACEMENT = "replacement", _("Replacement")
        REPAIR = "repair", _("Repair")

    # The only moves return_request services make (the RMA state machine).
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.REQUESTED: frozenset({Status.APPROVED, Status.REJECTED}),
        Status.APPROVED: frozenset({Status.LABEL_ISSUED, Status.REJECTED}),
        Status.LABEL_ISSUED: frozenset({Status.IN_TRANSIT}),
        Status.IN_TRANSIT: frozenset({Status.RECEIVED}),
        Status.RECEIVED: frozenset({Status.INSPECTED}),
        Status.INSPECTED: frozenset({Status.RESOLVED, Status.REJECTED}),
        Status.RESOLVED: frozenset(),
        Status.REJECTED: frozenset(),
    }
    # Reason codes allowed for each kind.
    REASONS: dict[str, tuple[str, ...]] = {
        Kind.DEFECT: (
            ReasonCode.DEAD_ON_ARRIVAL,
            ReasonCode.STOPPED_WORKING,
            ReasonCode.DAMAGED_IN_TRANSIT,
            ReasonCode.MISSING_PARTS,
            ReasonCode.NOT_AS_DESCRIBED,
            ReasonCode.COSMETIC_DAMAGE,
        ),
        Kind.RETURN: (
            ReasonCode.DOESNT_FIT,
            ReasonCode.CHANGED_MIND,
            ReasonCode.ARRIVED_TOO_LATE,
            ReasonCode.ORDERED_BY_MISTAKE,
        ),
    }

    rma = models.CharField(
        _("RMA number"), max_length=20, unique=True, default=new_rma_number, editable=False
    )
    case = models.OneToOneField(
        Case, on_delete=models.PROTECT, related_name="return_request", verbose_name=_("case")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="return_requests", verbose_name=_("order")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.REQUESTED,
        editable=False,
    )
    preferred_outcome = models.CharField(
        _("preferred outcome"), max_length=12, choices=Outcome.choices
    )
    policy = models.ForeignKey(
        ReturnPolicy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("policy"),
    )
    # The eligibility decision per line as it was made at submission (returns.services.policy).
    eligibility = models.JSONField(_("eligibility"), default=list, editable=False)
    auto_approved = models.BooleanField(_("approved automatically"), default=False, editable=False)
    review_reason = models.CharField(
        _("flagged for review"), max_length=255, blank=True, editable=False
    )
    # What the customer reads when the request is rejected.
    rejection_reason = models.TextField(_("rejection reason"), blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    photos = models.ManyToManyField(
        Attachment, blank=True, related_name="return_requests", verbose_name=_("photos")
    )
    # Where the customer sends the parcel from, for the prepaid label issued on approval
    # (shipments.labels.addresses.Address as a dict; the shop's orders carry no street address).
    sender_address = models.JSONField(_("sender address"), default=dict, blank=True)
    # When the return parcel reached the warehouse (its tracking said delivered, or an agent
    # marked it): the start of the inspection queue and of the time to refund.
    received_at = models.DateTimeField(_("received"), null=True, blank=True, editable=False)
    inspected_at = models.DateTimeField(_("inspected"), null=True, blank=True, editable=False)
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("inspected by"),
    )
    # The outcome decided after inspection (returns.services.inspection), and its compensation.
    resolution = models.CharField(
        _("outcome"), max_length=14, choices=Resolution.choices, blank=True, editable=False
    )
    # The variant the customer gets in an exchange (its SKU), as the agent chose it.
    exchange_sku = models.CharField(_("exchanged for (SKU)"), max_length=64, blank=True)
    compensation = models.OneToOneField(
        Compensation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="return_request",
        editable=False,
        verbose_name=_("compensation"),
    )
    # The restocking fee kept from a refund or credit of a change-of-mind return (order's
    # currency; null until resolved that way).
    restocking_fee = models.DecimalField(
        _("restocking fee kept"),
        max_digits=14,
        decimal_places=3,
        null=True,
        blank=True,
        editable=False,
    )
    # When the refund's money moved (its transaction succeeded): the end of the time to refund.
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("return request")
        verbose_name_plural = _("return requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="return_status_created"),
            # The inspection queue: received requests, the longest waiting first.
            models.Index(
                fields=["received_at", "id"],
                condition=models.Q(status="received"),
                name="return_inspection_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.rma


class ReturnLine(ChoiceLabels, models.Model):
    request = models.ForeignKey(
        ReturnRequest, on_delete=models.CASCADE, related_name="lines", verbose_name=_("request")
    )
    order_line = models.ForeignKey(
        OrderLine, on_delete=models.PROTECT, related_name="return_lines", verbose_name=_("item")
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    reason_code = models.CharField(_("reason"), max_length=24, choices=ReasonCode.choices)
    description = models.TextField(_("description"), blank=True)
    # What the inspector found (returns.services.inspection), empty until inspected.
    condition = models.CharField(
        _("condition"), max_length=1, choices=Condition.choices, blank=True, editable=False
    )
    defect_confirmed = models.BooleanField(
        _("defect confirmed"), null=True, blank=True, editable=False
    )
    disposition = models.CharField(
        _("disposition"), max_length=20, choices=Disposition.choices, blank=True, editable=False
    )
    inspection_note = models.TextField(_("inspection note"), blank=True, editable=False)
    inspection_photos = models.ManyToManyField(
        Attachment, blank=True, related_name="+", verbose_name=_("inspection photos")
    )

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="return_line_quantity_positive"
            ),
            models.UniqueConstraint(
                fields=["request", "order_line"], name="return_line_once_per_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.order_line.sku}"


class RefundTransaction(ChoiceLabels, models.Model):
    """One attempt to move a refund's money through the payment adapter (returns/payments):
    the refund decision is the compensation, its money movement these rows. A failed attempt
    stays on record and a new one is made to retry."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    request = models.ForeignKey(
        ReturnRequest,
        on_delete=models.CASCADE,
        related_name="refund_transactions",
        verbose_name=_("return request"),
    )
    compensation = models.ForeignKey(
        Compensation,
        on_delete=models.CASCADE,
        related_name="refund_transactions",
        verbose_name=_("compensation"),
    )
    adapter = models.CharField(_("paid through"), max_length=20)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False
    )
    # The shop's or payment provider's id of the refund (the agent enters it for a manual one).
    reference = models.CharField(_("reference"), max_length=255, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now, editable=False)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("refund transaction")
        verbose_name_plural = _("refund transactions")
        ordering = ["created_at", "pk"]
        constraints = [
            # A refund is paid once: one attempt under way or done at a time.
            models.UniqueConstraint(
                fields=["compensation"],
                condition=models.Q(status__in=["pending", "succeeded"]),
                name="refund_transaction_one_live",
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
        ]
        indexes = [
            # Agents' list of refunds to confirm or retry, oldest first.
            models.Index(
                fields=["created_at", "id"],
                condition=models.Q(status__in=["pending", "failed"]),
                name="refund_transaction_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.adapter} {self.amount} {self.currency} ({self.status})"
