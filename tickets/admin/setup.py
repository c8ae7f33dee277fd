"""The setup supervisors manage (rates, SLA policies, tags, teams and their business hours,
routing rules, visibility, API keys, two-factor devices) and the system's own records (outbox,
webhooks, worker heartbeats, SLA breach alerts, agents' availability)."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets import models
from tickets.admin.base import ReadOnlyAdmin
from tickets.services.api_keys import api_key_create, api_key_revoke
from tickets.services.sla import sla_policy_set_active


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
    """Targets per kind and priority. Switching a policy off stops the targets running on its
    open cases, so it is an action (the service does it), not a checkbox."""

    list_display = [
        "kind",
        "priority",
        "first_response_minutes",
        "next_response_minutes",
        "resolution_minutes",
        "calendar",
        "active",
    ]
    list_filter = ["active", "kind", "priority", "calendar"]
    list_select_related = ["calendar"]
    readonly_fields = ["active"]
    actions = ["switch_off", "switch_on"]

    @admin.action(description=_("Switch off the selected SLA policies"))
    def switch_off(self, request, queryset):
        stopped = sum(
            sla_policy_set_active(policy=policy, active=False)
            for policy in queryset.filter(active=True)
        )
        self.message_user(
            request,
            ngettext(
                "Switched off; SLA clocks stopped on %(count)d open case.",
                "Switched off; SLA clocks stopped on %(count)d open cases.",
                stopped,
            )
            % {"count": stopped},
        )

    @admin.action(description=_("Switch on the selected SLA policies"))
    def switch_on(self, request, queryset):
        for policy in queryset.filter(active=False):
            sla_policy_set_active(policy=policy, active=True)
        self.message_user(request, _("Switched on for new cases and priority changes."))


@admin.register(models.Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TeamForm(forms.ModelForm):
    working_days = forms.TypedMultipleChoiceField(
        label=_("working days"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = models.Team
        fields = [
            "name",
            "description",
            "languages",
            "members",
            "time_zone",
            "working_days",
            "day_start",
            "day_end",
            "holiday_country",
        ]

    def clean_holiday_country(self):
        return self.cleaned_data["holiday_country"].upper()


@admin.register(models.Team)
class TeamAdmin(admin.ModelAdmin):
    form = TeamForm
    list_display = ["name", "description", "time_zone", "day_start", "day_end", "holiday_country"]
    search_fields = ["name", "description"]
    filter_horizontal = ["members"]
    fieldsets = [
        (None, {"fields": ["name", "description", "languages", "members"]}),
        (
            _("Business hours"),
            {
                "fields": [
                    "time_zone",
                    "working_days",
                    ("day_start", "day_end"),
                    "holiday_country",
                ]
            },
        ),
    ]


@admin.register(models.RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    """New cases without a team go to the team of the first matching rule (by position)."""

    list_display = ["position", "kind", "language", "country", "team", "active"]
    list_editable = ["active"]
    list_display_links = ["position"]
    list_filter = ["active", "team"]
    list_select_related = ["team"]
    ordering = ["position", "id"]


@admin.register(models.SLABreachAlert)
class SLABreachAlertAdmin(ReadOnlyAdmin):
    list_display = ["case", "target", "due_at", "created_at", "sent_at"]
    list_filter = ["target", ("sent_at", admin.EmptyFieldListFilter)]
    list_select_related = ["case"]
    search_fields = ["case__number"]


@admin.register(models.AgentProfile)
class AgentProfileAdmin(ReadOnlyAdmin):
    """Who is away and when routing last gave each agent a case; agents switch themselves."""

    list_display = ["user", "away", "away_since", "last_routed_at"]
    list_filter = ["away"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]


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
