"""Wrong-item cases: the customer's report, the root cause found, the actions that prevent it
from happening again, and the discount codes given to make up for it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Case, Compensation, Order, OrderLine
from tickets.models.choices import ChoiceLabels
from tickets.models.customers import MONEY
from tickets.validators import validate_currency


class WrongItemReport(ChoiceLabels, models.Model):
    """What the customer told us: the ordered line that was wrong, what came instead and what
    they would like. One report per ordered line (a second one points to the first case)."""

    class Preference(models.TextChoices):
        RESHIP = "reship", _("Send me the right item")
        REFUND = "refund", _("Refund me")

    class ItemOutcome(models.TextChoices):
        UNDECIDED = "", _("Not decided yet")
        KEEP = "keep", _("Customer keeps the wrong item")
        RETURN = "return", _("Customer returns the wrong item")

    class Proposal(models.TextChoices):
        """The automatic proposal of a small order's report (WRONG_ITEM_PROPOSE_BELOW)."""

        NONE = "", _("No proposal")
        WAITING = "waiting", _("Waiting for an agent")
        ACCEPTED = "accepted", _("Accepted")
        DISMISSED = "dismissed", _("Dismissed")

    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="wrong_item_report", verbose_name=_("case")
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="wrong_item_reports", verbose_name=_("order")
    )
    order_line = models.OneToOneField(
        OrderLine,
        on_delete=models.PROTECT,
        related_name="wrong_item_report",
        verbose_name=_("ordered item"),
    )
    received_description = models.TextField(_("what arrived instead"), max_length=2000)
    received_sku = models.CharField(_("SKU or barcode received"), max_length=64, blank=True)
    preference = models.CharField(
        _("customer's preference"), max_length=10, choices=Preference.choices
    )
    item_outcome = models.CharField(
        _("wrong item"), max_length=10, choices=ItemOutcome.choices, default="", blank=True
    )
    proposal = models.CharField(
        _("proposal"), max_length=10, choices=Proposal.choices, default="", blank=True
    )
    proposed_discount = models.DecimalField(
        _("proposed discount (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("wrong-item report")
        verbose_name_plural = _("wrong-item reports")
        indexes = [models.Index(fields=["created_at"], name="wrongitem_report_created")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.order_line_id}"


class RootCause(ChoiceLabels, models.Model):
    """Why the wrong item went out; a wrong-item case needs one before it can close."""

    class Category(models.TextChoices):
        PICKING = "picking", _("Picking error")
        PACKING = "packing", _("Packing error (items swapped between orders)")
        LABELLING = "labelling", _("Labelling error")
        CATALOGUE = "catalogue", _("Catalogue or SKU data error")
        SUPPLIER = "supplier", _("Supplier sent the wrong item")
        CARRIER = "carrier", _("Carrier mix-up")
        CUSTOMER = "customer", _("Customer mistake")
        UNKNOWN = "unknown", _("Unknown")

    report = models.OneToOneField(
        WrongItemReport,
        on_delete=models.CASCADE,
        related_name="root_cause",
        verbose_name=_("report"),
    )
    category = models.CharField(_("root cause"), max_length=20, choices=Category.choices)
    warehouse = models.CharField(_("warehouse"), max_length=64, blank=True)
    expected_sku = models.CharField(_("expected SKU"), max_length=64, blank=True)
    received_sku = models.CharField(_("received SKU"), max_length=64, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set"), default=timezone.now)

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")
        indexes = [models.Index(fields=["set_at"], name="wrongitem_rootcause_set")]

    def __str__(self) -> str:
        return self.get_category_display()


class PreventiveAction(models.Model):
    """What will change so that root causes like these do not happen again."""

    description = models.TextField(_("what will change"), max_length=2000)
    owner = models.CharField(_("owner"), max_length=100)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    root_causes = models.ManyToManyField(
        RootCause, related_name="preventive_actions", verbose_name=_("root causes")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["done", "due_date", "id"]
        verbose_name = _("preventive action")
        verbose_name_plural = _("preventive actions")

    def __str__(self) -> str:
        return self.description[:60]


class DiscountCode(ChoiceLabels, models.Model):
    """A single-use code for a future order, recorded as a Compensation of the discount kind."""

    class ValueType(models.TextChoices):
        FIXED = "fixed", _("Fixed amount")
        PERCENTAGE = "percentage", _("Percentage")

    code = models.CharField(_("code"), max_length=32, unique=True)
    report = models.ForeignKey(
        WrongItemReport,
        on_delete=models.CASCADE,
        related_name="discount_codes",
        verbose_name=_("report"),
    )
    compensation = models.OneToOneField(
        Compensation,
        on_delete=models.PROTECT,
        related_name="discount_code",
        verbose_name=_("compensation"),
    )
    value_type = models.CharField(_("type"), max_length=10, choices=ValueType.choices)
    value = models.DecimalField(_("value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    expires_at = models.DateTimeField(_("expires"))
    adapter = models.CharField(_("pushed through"), max_length=20)
    external_reference = models.CharField(_("shop's reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("discount code")
        verbose_name_plural = _("discount codes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gt=0)
                & (models.Q(value_type="fixed") | models.Q(value__lte=100)),
                name="wrongitem_discount_value_valid",
            )
        ]

    def __str__(self) -> str:
        return self.code
