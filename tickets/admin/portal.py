"""The portal's audit trail and its sign-in links, for supervisors to read: who asked for a
link, who signed in and out, which links were refused and why. Never a token: only its hash
exists, and the admin does not show even that."""

from django.contrib import admin

from tickets import models
from tickets.admin.base import ReadOnlyAdmin


@admin.register(models.PortalAccessEvent)
class PortalAccessEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "customer", "order", "ip_address", "actor"]
    list_filter = ["kind"]
    search_fields = ["customer__email", "order__number", "ip_address"]
    list_select_related = ["customer", "order", "actor"]
    date_hierarchy = "created_at"


@admin.register(models.PortalLink)
class PortalLinkAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "customer", "order", "expires_at", "used_at", "voided_at"]
    search_fields = ["customer__email", "order__number"]
    list_select_related = ["customer", "order"]
    exclude = ["token_hash"]
