"""Every URL of the shipments app, under the namespace "shipments": included at the site's
root before the API's catch-all, so its paths are full (webhooks/, api/v1/, portal/, agent/)."""

from django.urls import path

from shipments import webhooks

app_name = "shipments"

urlpatterns: list = [
    # --- tracking intake: webhooks and the shipments API ---
    path(
        "webhooks/tracking/easypost/",
        webhooks.EasyPostWebhookView.as_view(),
        name="webhook-easypost",
    ),
    path(
        "webhooks/tracking/aftership/",
        webhooks.AfterShipWebhookView.as_view(),
        name="webhook-aftership",
    ),
    path(
        "webhooks/tracking/generic/",
        webhooks.GenericWebhookView.as_view(),
        name="webhook-generic",
    ),
    # --- the lost-parcel flow and insurance claims (agent actions, portal choice) ---
    # --- the portal's tracking pages and the parcel form ---
]
