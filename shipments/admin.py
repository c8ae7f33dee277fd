"""Admin for the tunables of shipments: carriers and the detection thresholds per route.
Shipments, events and findings change only through the services, so they are not here."""

from django.contrib import admin

from shipments.models import Carrier, RouteThresholds


@admin.register(Carrier)
class CarrierAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "tracking_url", "claim_filing_days", "poll_interval_minutes"]
    search_fields = ["code", "name"]
    # Polling's backoff state is the poller's to change.
    readonly_fields = ["poll_failures", "poll_paused_until"]


@admin.register(RouteThresholds)
class RouteThresholdsAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "handling_hours",
        "unknown_tracking_hours",
        "stalled_days",
        "customs_hold_days",
        "pickup_reminder_days",
        "lost_days",
    ]
    list_filter = ["origin_country", "destination_country"]
