"""Customers, orders with their lines, and the shops (stores) orders come from."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tickets import models
from tickets.admin.base import MoneyFormMixin
from tickets.money import format_money


class OrderForm(MoneyFormMixin, forms.ModelForm):
    money_fields = ("subtotal", "shipping_total", "shipping_discount", "tax_total", "total")


class OrderLineInline(admin.TabularInline):
    """Lines as the shop sent them, read-only: the order intake matches them by their key and
    keeps their ids, which returns and compensations point at. Change them in the shop."""

    model = models.OrderLine
    extra = 0
    can_delete = False
    fields = [
        "position", "external_id", "sku", "title", "quantity", "unit_price_display",
        "discount_display", "total_display", "removed_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order")

    @admin.display(description=_("unit price"))
    def unit_price_display(self, obj):
        return format_money(obj.unit_price, obj.order.currency)

    @admin.display(description=_("discount"))
    def discount_display(self, obj):
        return format_money(obj.discount, obj.order.currency)

    @admin.display(description=_("total"))
    def total_display(self, obj):
        return format_money(obj.total, obj.order.currency)


@admin.register(models.Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["email", "name", "country", "language", "sms_consent", "created_at"]
    list_filter = ["country", "language", "sms_consent"]
    search_fields = ["email", "name", "phone"]


@admin.register(models.Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "store", "customer", "placed_at", "total_display", "currency"]
    list_filter = ["store", "currency", "shipping_country", "insured"]
    form = OrderForm
    search_fields = ["number", "external_id", "customer__email"]
    list_select_related = ["customer"]
    raw_id_fields = ["customer"]
    date_hierarchy = "placed_at"
    readonly_fields = ["shop_updated_at"]
    inlines = [OrderLineInline]

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, obj):
        return format_money(obj.total, obj.currency)


class StoreForm(forms.ModelForm):
    """The secret is write-only: never shown again, and left empty it keeps the stored one."""

    webhook_secret = forms.CharField(
        label=_("webhook secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "The secret Shopify signs this shop's webhooks with. It is never shown again; "
            "leave the field empty to keep the stored one."
        ),
    )

    class Meta:
        model = models.Store
        fields = ["slug", "name", "shopify_domain", "webhook_secret"]

    def clean_webhook_secret(self) -> str:
        return self.cleaned_data["webhook_secret"] or self.instance.webhook_secret


@admin.register(models.Store)
class StoreAdmin(admin.ModelAdmin):
    """Shops and their webhook secrets; supervisors manage them."""

    form = StoreForm
    list_display = ["slug", "name", "shopify_domain", "has_webhook_secret", "updated_at"]
    search_fields = ["slug", "name", "shopify_domain"]

    @admin.display(boolean=True, description=_("webhook secret set"))
    def has_webhook_secret(self, obj: models.Store) -> bool:
        return bool(obj.webhook_secret)
