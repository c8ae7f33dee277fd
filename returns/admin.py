"""Admin for the return policies supervisors manage, with their special windows. Return
requests change only through the services (the workspace panel and the API), so they are
shown read-only."""

from django.contrib import admin

from returns.models import (
    RefundTransaction,
    ReturnLine,
    ReturnPolicy,
    ReturnRequest,
    SpecialWindow,
)
from tickets.admin.base import ReadOnlyAdmin


class SpecialWindowInline(admin.TabularInline):
    model = SpecialWindow
    extra = 0


@admin.register(ReturnPolicy)
class ReturnPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "country",
        "active",
        "window_days",
        "counted_from",
        "warranty_months",
        "no_questions_asked",
        "auto_approve_max_value",
        "restocking_fee_percent",
    ]
    list_filter = ["active", "country", "no_questions_asked"]
    search_fields = ["name"]
    inlines = [SpecialWindowInline]


class ReturnLineInline(admin.TabularInline):
    model = ReturnLine
    extra = 0
    can_delete = False
    readonly_fields = ["order_line", "quantity", "reason_code", "description"]

    def has_add_permission(self, request, obj=None):
        return False


class RefundTransactionInline(admin.TabularInline):
    """The refund's money movements, as the payment adapter and agents recorded them."""

    model = RefundTransaction
    fk_name = "request"
    extra = 0
    can_delete = False
    fields = readonly_fields = [
        "adapter",
        "amount",
        "currency",
        "status",
        "reference",
        "error",
        "created_at",
        "completed_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReturnRequest)
class ReturnRequestAdmin(ReadOnlyAdmin):
    list_display = ["rma", "kind", "status", "order", "auto_approved", "created_at"]
    list_filter = ["kind", "status", "auto_approved"]
    search_fields = ["rma", "case__number", "order__number"]
    list_select_related = ["order"]
    inlines = [ReturnLineInline, RefundTransactionInline]

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("returns.view_returnrequest")
