from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from tickets import admin_actions, models
from tickets.admin_actions import form_action
from tickets.errors import ApplicationError
from tickets.money import format_money, quantize
from tickets.services.api_keys import api_key_create, api_key_revoke
from tickets.services.cases import (
    case_assign,
    case_set_priority,
    case_set_tags,
    case_set_team,
    case_transition,
)
from tickets.services.compensations import (
    compensation_approve,
    compensation_cancel,
    compensation_mark_failed,
    compensation_mark_issued,
    compensation_reject,
)


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
    money_fields = ("subtotal", "shipping_total", "shipping_discount", "tax_total", "total")


class ReadOnlyAdmin(admin.ModelAdmin):
    """For append-only rows: visible to staff, never edited by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceActionsAdmin(admin.ModelAdmin):
    """For rows whose fields services own: the change page only shows the row, and changes
    are admin actions that call the services (they need the change permission)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # With obj: the change page, view-only. Without: may the actions run.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


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
class CaseAdmin(ServiceActionsAdmin):
    """Every field is read-only here. Status, assignee, team, priority and tags change through
    the actions, which call the case services: each change is checked against the version the
    form showed, bumps it and writes its event. Cases are opened by case_create (dashboard, API,
    portal, email), never added here."""

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
    fields = [
        "number",
        "kind",
        "status",
        "priority",
        "subject",
        "customer",
        "order",
        "assignee",
        "team",
        "tags",
        "channel",
        "language",
        "first_response_due",
        "resolution_due",
        "first_responded_at",
        "resolved_at",
        "closed_at",
        "satisfaction",
        "satisfaction_at",
        "created_at",
        "updated_at",
        "version",
    ]
    readonly_fields = fields
    inlines = [MessageInline, CaseEventInline]
    actions = ["transition", "assign", "set_priority", "set_tags", "set_team"]

    def _one(self, queryset, **values):
        """A form's starting values: those of the case when only one is selected."""
        return values if queryset.count() == 1 else {}

    @admin.action(description=_("Move to another status…"), permissions=["change"])
    def transition(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=admin_actions.CaseTransitionForm,
            title=_("Move cases to another status"),
            apply=lambda case, data, user: case_transition(
                case=case, to=data["status"], reason=data["reason"], actor=user
            ),
        )

    @admin.action(description=_("Assign…"), permissions=["change"])
    def assign(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=admin_actions.CaseAssignForm,
            title=_("Assign cases"),
            apply=lambda case, data, user: case_assign(
                case=case, assignee=data["assignee"], actor=user
            ),
        )

    @admin.action(description=_("Change the priority…"), permissions=["change"])
    def set_priority(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=admin_actions.CasePriorityForm,
            title=_("Change the priority of cases"),
            apply=lambda case, data, user: case_set_priority(
                case=case, priority=data["priority"], actor=user
            ),
        )

    @admin.action(description=_("Replace the tags…"), permissions=["change"])
    def set_tags(self, request, queryset):
        first = queryset.first()
        names = ", ".join(first.tags.values_list("name", flat=True)) if first else ""
        return form_action(
            self,
            request,
            queryset,
            form_class=admin_actions.CaseTagsForm,
            title=_("Replace the tags of cases"),
            apply=lambda case, data, user: case_set_tags(case=case, names=data["tags"], actor=user),
            initial=self._one(queryset, tags=names),
        )

    @admin.action(description=_("Move to another team…"), permissions=["change"])
    def set_team(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=admin_actions.CaseTeamForm,
            title=_("Move cases to another team"),
            apply=lambda case, data, user: case_set_team(case=case, team=data["team"], actor=user),
        )


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
class CompensationAdmin(ServiceActionsAdmin):
    """Read-only, amounts in their currency's own format; approve, reject, mark issued, mark
    failed and cancel are actions calling the ledger's services (which check the status table
    and, above the threshold, the approver)."""

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
    actions = ["approve", "reject", "mark_issued", "mark_failed", "cancel"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return format_money(obj.amount, obj.currency)

    @admin.display(description=_("amount in base currency"), ordering="base_amount")
    def base_amount_display(self, obj):
        return format_money(obj.base_amount, obj.base_currency)

    @admin.action(description=_("Approve"), permissions=["change"])
    def approve(self, request, queryset):
        done = 0
        for compensation in queryset:
            try:
                compensation_approve(compensation=compensation, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{compensation}: {exc}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d row changed.", "%(count)d rows changed.", done)
                % {"count": done},
                messages.SUCCESS,
            )

    def _with_reason(self, request, queryset, *, title, service):
        return form_action(
            self,
            request,
            queryset,
            form_class=admin_actions.CompensationReasonForm,
            title=title,
            versioned=False,
            apply=lambda compensation, data, user: service(
                compensation=compensation, reason=data["reason"], actor=user
            ),
        )

    @admin.action(description=_("Reject…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._with_reason(
            request, queryset, title=_("Reject compensation"), service=compensation_reject
        )

    @admin.action(description=_("Mark issued…"), permissions=["change"])
    def mark_issued(self, request, queryset):
        return form_action(
            self,
            request,
            queryset,
            form_class=admin_actions.CompensationIssuedForm,
            title=_("Mark compensation issued"),
            versioned=False,
            apply=lambda compensation, data, user: compensation_mark_issued(
                compensation=compensation,
                external_reference=data["external_reference"],
                actor=user,
            ),
        )

    @admin.action(description=_("Mark failed…"), permissions=["change"])
    def mark_failed(self, request, queryset):
        return self._with_reason(
            request, queryset, title=_("Mark compensation failed"), service=compensation_mark_failed
        )

    @admin.action(description=_("Cancel…"), permissions=["change"])
    def cancel(self, request, queryset):
        return self._with_reason(
            request, queryset, title=_("Cancel compensation"), service=compensation_cancel
        )


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
