"""Cases, their messages, files and timeline, and the compensation ledger: read-only, changed
through admin actions that call the services."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tickets import models
from tickets.admin import actions as admin_actions
from tickets.admin.actions import form_action
from tickets.admin.base import ReadOnlyAdmin, ServiceActionsAdmin
from tickets.money import format_money
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
        "active",
        "priority",
        "priority_rank",
        "subject",
        "customer",
        "order",
        "order_line",
        "assignee",
        "team",
        "tags",
        "channel",
        "language",
        "first_response_due",
        "next_response_due",
        "resolution_due",
        "sla_due",
        "sla_paused_at",
        "first_responded_at",
        "resolved_at",
        "closed_at",
        "satisfaction",
        "satisfaction_at",
        "merged_into",
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
        admin_actions.apply_each(
            self,
            request,
            queryset,
            lambda compensation, _data, user: compensation_approve(
                compensation=compensation, actor=user
            ),
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
