from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Lower, Round, Upper
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tickets.validators import (
    validate_amount_for_currency,
    validate_currency,
    validate_e164,
    validate_non_negative,
    validate_timezone,
)

from .choices import ChoiceLabels

MONEY = {"max_digits": 14, "decimal_places": 3, "validators": [validate_non_negative]}


class Customer(ChoiceLabels, models.Model):
    """A shop's customer. No login: the portal identifies them by order number and email."""

    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[validate_e164],
        help_text=_("International E.164 form, e.g. +4915112345678."),
    )
    country = CountryField(_("country"), blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    sms_consent = models.BooleanField(_("agreed to SMS updates"), default=False)
    created_at = models.DateTimeField(_("created"), default=now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Whether any of the customer's cases is active: on PostgreSQL the database keeps it
    # (triggers of migration 0028), for the case list's search by customer name or email among
    # the active cases, which reads the trigram indexes of these customers only. SQLite leaves
    # it false and never asks.
    has_active_cases = models.BooleanField(db_default=False, editable=False)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["email"]
        # Each ordering of the customer list, with the id as the tiebreak. The substring search
        # (`search`) has trigram indexes of its own on PostgreSQL (migration 0013).
        indexes = [
            models.Index(fields=["email", "id"], name="customer_email_order"),
            models.Index(fields=["name", "id"], name="customer_name"),
            models.Index(fields=["created_at", "id"], name="customer_created"),
            models.Index(fields=["updated_at", "id"], name="customer_updated"),
            # `country` is matched ignoring case (UPPER on both sides), in the list's order
            models.Index(Upper("country"), "email", "id", name="customer_country"),
            # The case list's country filter: one country's customers in id order, read from
            # the index alone and merged with the active cases by customer.
            models.Index(fields=["country", "id"], name="customer_country_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="customer_email_ci_unique",
                violation_error_message=_("A customer with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class LowerExact(models.Lookup):
    """`iexact` as `LOWER(field) = LOWER(value)`: the expression of the unique index on a
    customer's email, so that a lookup by email reads that index. Django's own iexact
    (`UPPER(...)` on PostgreSQL, `LIKE` on SQLite) matches no index."""

    lookup_name = "iexact"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"LOWER({lhs}) = LOWER({rhs})", (*lhs_params, *rhs_params)


Customer._meta.get_field("email").register_lookup(LowerExact)


class Store(models.Model):
    """A shop whose orders come in. Orders name it by `slug` (Order.store). A Shopify shop is
    recognised by the domain in X-Shopify-Shop-Domain, and its webhooks must be signed with
    its own `webhook_secret`: the domain header is not signed, so a secret shared between
    shops would let a body signed by one land in the other."""

    slug = models.SlugField(
        _("store"),
        max_length=50,
        unique=True,
        help_text=_("How orders name this store, e.g. johns-apparel."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    shopify_domain = models.CharField(
        _("Shopify domain"),
        max_length=255,
        blank=True,
        help_text=_("The shop's myshopify.com domain, e.g. johns-apparel.myshopify.com."),
    )
    webhook_secret = models.CharField(
        _("webhook secret"),
        max_length=255,
        blank=True,
        help_text=_(
            "The secret Shopify signs this shop's webhooks with (Settings → Notifications → "
            "Webhooks, or the app's client secret)."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                Lower("shopify_domain"),
                condition=~models.Q(shopify_domain=""),
                name="store_shopify_domain_unique",
                violation_error_message=_("Another store already has this Shopify domain."),
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.slug

    def clean(self) -> None:
        self.shopify_domain = self.shopify_domain.strip().lower()
        if self.shopify_domain and not self.webhook_secret:
            raise ValidationError(
                {
                    "webhook_secret": _(
                        "A Shopify shop needs its webhook secret: without it, its webhooks "
                        "are refused."
                    )
                }
            )


class Order(ChoiceLabels, models.Model):
    """An order as the shop knows it; `number` is the shop's own, unique per store."""

    store = models.SlugField(_("store"), max_length=50, default="default")
    number = models.CharField(_("order number"), max_length=64)
    external_id = models.CharField(_("shop's order id"), max_length=64, blank=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="orders", verbose_name=_("customer")
    )
    placed_at = models.DateTimeField(_("placed"))
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    subtotal = models.DecimalField(_("subtotal"), default=0, **MONEY)
    shipping_total = models.DecimalField(
        _("shipping"), default=0, help_text=_("Shipping charged, after discounts."), **MONEY
    )
    shipping_discount = models.DecimalField(
        _("shipping discount"),
        default=Decimal(0),
        help_text=_("Discounts on shipping, already taken off the shipping charged."),
        **MONEY,
    )
    tax_total = models.DecimalField(_("tax"), default=0, **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    shipping_country = CountryField(_("shipping country"))
    insured = models.BooleanField(_("shipping insured"), default=False)
    # The shop's own "last changed" time: an older version of the order never replaces a
    # newer one (webhooks arrive out of order and are replayed).
    shop_updated_at = models.DateTimeField(
        _("changed at the shop"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-placed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "number"],
                name="order_number_unique_per_store",
                violation_error_message=_("This store already has an order with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0)
                & models.Q(subtotal__gte=0)
                & models.Q(shipping_total__gte=0)
                & models.Q(tax_total__gte=0),
                name="order_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(shipping_discount__gte=0),
                name="order_shipping_discount_not_negative",
            ),
        ]
        # Each ordering of the order list, with the id as the tiebreak; `number` alone serves
        # a lookup by order number without the store too.
        indexes = [
            models.Index(fields=["customer", "-placed_at"]),
            models.Index(fields=["-placed_at", "-id"], name="order_placed"),
            models.Index(fields=["number", "id"], name="order_number"),
            models.Index(fields=["total", "id"], name="order_total"),
            models.Index(fields=["created_at", "id"], name="order_created"),
            models.Index(fields=["updated_at", "id"], name="order_updated"),
            # `currency` is matched ignoring case (UPPER on both sides), in the list's order
            models.Index(
                Upper("currency"), F("placed_at").desc(), F("id").desc(), name="order_currency"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.number}"

    def clean(self) -> None:
        for field in ("subtotal", "shipping_total", "shipping_discount", "tax_total", "total"):
            validate_amount_for_currency(getattr(self, field), self.currency, field)


class OrderLine(models.Model):
    """One line of an order. Lines are matched across updates by a stable key (the shop's line
    id, else the SKU and its place among the order's lines with that SKU) and updated in
    place, so that return lines, wrong-item reports and compensations can point at them. A
    line the shop no longer lists is deleted while nothing points at it, and marked removed
    (`removed_at`) once something does (see tickets.services.orders.upsert)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    external_id = models.CharField(_("shop's line id"), max_length=64, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0, editable=False)
    sku = models.CharField(_("SKU"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    # The shop's product category (type), as it names it; empty when the shop sends none.
    category = models.CharField(_("product category"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), **MONEY)
    discount = models.DecimalField(
        _("discount"),
        default=Decimal(0),
        help_text=_("The order's discounts allocated to this line, for all of its items."),
        **MONEY,
    )
    # What the line cost after its discounts: refunds are computed from it. Rounded (and + 0)
    # because SQLite computes in binary floating point: without it a fully discounted line
    # could read as -0.000.
    total = models.GeneratedField(
        expression=Round(F("quantity") * F("unit_price") - F("discount"), 3) + Value(Decimal(0)),
        output_field=models.DecimalField(max_digits=14, decimal_places=3),
        db_persist=True,
        verbose_name=_("total"),
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "external_id"],
                condition=~models.Q(external_id=""),
                name="order_line_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(discount__gte=0), name="order_line_discount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=1), name="order_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(unit_price__gte=0), name="order_line_price_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sku}"

    def clean(self) -> None:
        order = self.order if self.order_id or "order" in self._state.fields_cache else None
        if order is not None:
            validate_amount_for_currency(self.unit_price, order.currency, "unit_price")
            validate_amount_for_currency(self.discount, order.currency, "discount")
        gross = self.gross
        if isinstance(self.discount, Decimal) and gross is not None and 0 <= gross < self.discount:
            raise ValidationError(
                {"discount": _("The discount is larger than the line's price.")},
                code="discount_too_large",
            )

    @property
    def gross(self) -> Decimal | None:
        """The line's price before discounts, or None while quantity or price is not a number."""
        if isinstance(self.quantity, int) and isinstance(self.unit_price, Decimal):
            return self.quantity * self.unit_price
        return None
