from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tickets import models
from tickets.money import format_money, quantize
from tickets.services.api_keys import api_key_create, api_key_revoke


class MoneyFormMixin:
    """Amount inputs show their currency's decimals ("1234" for JPY, not "1234.000")."""

    money_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        currency = self.money_currency()
        for name in self.money_fields:
            value = self.initial.get(name)
            if currency and value is not None:
                self.initial[name] = quantize(value, currency)

    def money_currency(self) -> str:
        return self.instance.currency if self.instance.pk else ""


class OrderForm(MoneyFormMixin, forms.ModelForm):
    money_fields = ("subtotal", "shipping_total", "tax_total", "total")


class OrderLineForm(MoneyFormMixin, forms.ModelForm):
    money_fields = ("unit_price",)

    def money_currency(self) -> str:
        return self.instance.order.currency if self.instance.pk else ""


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only rows: visible to staff, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderLineInline(admin.TabularInline):
    model = models.OrderLine
    form = OrderLineForm
    extra = 0


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
    inlines = [OrderLineInline]

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, obj):
        return format_money(obj.total, obj.currency)


class MessageInline(admin.StackedInline):
    model = models.Message
    extra = 0
    fields = ["author_kind", "author_user", "visibility", "body", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = models.CaseEvent
    extra = 0
    fields = ["created_at", "actor", "verb", "data"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Case)
class CaseAdmin(admin.ModelAdmin):
    """Status is read-only here: it only moves through the case_transition service."""

    list_display = [
        "number",
        "kind",
        "status",
        "priority",
        "customer",
        "assignee",
        "team",
        "channel",
        "resolution_due",
        "updated_at",
    ]
    list_filter = ["kind", "status", "priority", "channel", "language", "team", "tags"]
    search_fields = ["number", "subject", "customer__email", "customer__name", "order__number"]
    list_select_related = ["customer", "assignee", "team"]
    raw_id_fields = ["customer", "order", "assignee"]
    filter_horizontal = ["tags"]
    readonly_fields = [
        "number",
        "status",
        "version",
        "created_at",
        "first_responded_at",
        "resolved_at",
        "closed_at",
    ]
    inlines = [MessageInline, CaseEventInline]


@admin.register(models.Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["case", "author_kind", "visibility", "created_at"]
    list_filter = ["author_kind", "visibility"]
    search_fields = ["case__number", "body"]
    list_select_related = ["case"]


@admin.register(models.Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["filename", "content_type", "size", "message", "created_at", "download"]
    exclude = ["file"]  # its link would point at MEDIA_URL, which nothing serves

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("tickets:agent-attachment-download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    list_filter = ["content_type"]
    search_fields = ["filename", "message__case__number"]


@admin.register(models.CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "verb", "actor", "created_at"]
    list_filter = ["verb"]
    search_fields = ["case__number", "verb"]
    list_select_related = ["case", "actor"]


@admin.register(models.Compensation)
class CompensationAdmin(ReadOnlyAdmin):
    """Written by the compensation services only; amounts in their currency's own format."""

    list_display = [
        "case",
        "kind",
        "amount_display",
        "base_amount_display",
        "status",
        "needs_supervisor",
        "created_at",
    ]
    list_filter = ["kind", "status", "currency", "needs_supervisor"]
    search_fields = ["case__number", "external_reference"]
    list_select_related = ["case"]
    fields = [
        "case",
        "kind",
        "status",
        "amount_display",
        "base_amount_display",
        "exchange_rate",
        "needs_supervisor",
        "note",
        "proposed_by",
        "approved_by",
        "approved_at",
        "issued_at",
        "external_reference",
        "failure_reason",
        "reason",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return format_money(obj.amount, obj.currency)

    @admin.display(description=_("amount in base currency"), ordering="base_amount")
    def base_amount_display(self, obj):
        return format_money(obj.base_amount, obj.base_currency)


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["currency", "rate", "updated_at"]
    search_fields = ["currency"]


@admin.register(models.Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "channel", "template", "status", "attempts", "created_at"]
    list_filter = ["channel", "status", "template", "language"]
    search_fields = ["recipient", "case__number", "idempotency_key", "provider_id"]
    list_select_related = ["case"]


@admin.register(models.SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ["kind", "priority", "first_response_minutes", "resolution_minutes"]
    list_filter = ["kind", "priority"]


@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name", "description"]
    filter_horizontal = ["members"]


@admin.register(models.WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyAdmin):
    list_display = ["hostname", "seen_at"]


@admin.register(models.ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    """Supervisors make keys here (the key is shown once) and revoke them with the action."""

    list_display = [
        "name",
        "prefix",
        "scope",
        "user",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "created_by", "revoked_by"]
    search_fields = ["name", "prefix", "user__username"]
    fields = [
        "name",
        "scope",
        "user",
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = [
        "prefix",
        "created_at",
        "created_by",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            form.base_fields["user"].required = False
            form.base_fields["user"].help_text = _(
                "Leave empty to make an account for this integration."
            )
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return
        api_key, key = api_key_create(
            name=obj.name, scope=obj.scope, actor=request.user, user=form.cleaned_data["user"]
        )
        obj.pk = api_key.pk
        messages.warning(
            request, _("Copy the API key now; it is not shown again: %(key)s") % {"key": key}
        )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected API keys"))
    def revoke(self, request, queryset):
        keys = list(queryset.filter(revoked_at__isnull=True))
        for api_key in keys:
            api_key_revoke(api_key=api_key, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", len(keys))
            % {"count": len(keys)},
        )


@admin.register(models.WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """Shopify order webhooks as received: written by the webhook service, never by hand."""

    list_display = ["received_at", "topic", "shop_domain", "order_number", "outcome", "webhook_id"]
    list_filter = ["topic", "outcome", "shop_domain"]
    search_fields = ["webhook_id", "order_number", "shop_domain"]
    date_hierarchy = "received_at"
    fields = ["webhook_id", "topic", "shop_domain", "order_number", "outcome", "received_at"]
    readonly_fields = fields
