from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
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

MONEY = {"max_digits": 14, "decimal_places": 3, "validators": [validate_non_negative]}


class Customer(models.Model):
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

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="customer_email_ci_unique",
                violation_error_message=_("A customer with this email address already exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class Order(models.Model):
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
    shipping_total = models.DecimalField(_("shipping"), default=0, **MONEY)
    tax_total = models.DecimalField(_("tax"), default=0, **MONEY)
    total = models.DecimalField(_("total"), **MONEY)
    shipping_country = CountryField(_("shipping country"))
    insured = models.BooleanField(_("shipping insured"), default=False)
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
        ]
        indexes = [models.Index(fields=["customer", "-placed_at"])]

    def __str__(self) -> str:
        return f"#{self.number}"

    def clean(self) -> None:
        for field in ("subtotal", "shipping_total", "tax_total", "total"):
            validate_amount_for_currency(getattr(self, field), self.currency, field)


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    sku = models.CharField(_("SKU"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(_("unit price"), **MONEY)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]
        constraints = [
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
