"""The setup supervisors manage (rates, SLA policies, tags, teams, visibility, API keys,
two-factor devices) and the system's own records (outbox, webhooks, worker heartbeats)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets import models
from tickets.admin.base import ReadOnlyAdmin
from tickets.services.api_keys import api_key_create, api_key_revoke


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
    fields = [
        "webhook_id", "topic", "shop_domain", "order_number", "outcome", "detail",
        "order_updated_at", "received_at",
    ]  # fmt: skip
    readonly_fields = fields


# --- access rules -----------------------------------------------------------------------------


@admin.register(models.GroupCaseVisibility)
class GroupCaseVisibilityAdmin(admin.ModelAdmin):
    """Which cases a group's members see, instead of the CASE_VISIBILITY setting. Supervisors
    always see every case."""

    list_display = ["group", "visibility"]
    list_editable = ["visibility"]
    list_display_links = ["group"]


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(admin.ModelAdmin):
    """Who signs in with a code. The secret is never shown; deleting a device resets that
    user's two-factor sign-in (they enrol again at /agent/two-factor/)."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
