"""Every URL of the shipments app, under the namespace "shipments": included at the site's
root before the API's catch-all, so its paths are full (webhooks/, api/v1/, portal/, agent/)."""

from django.urls import path

from shipments import portal_parcel

app_name = "shipments"

urlpatterns: list = [
    # --- tracking intake: webhooks and the shipments API ---
    # --- the lost-parcel flow and insurance claims (agent actions, portal choice) ---
    # --- the portal's tracking pages and the parcel form ---
    path(
        "portal/orders/<int:order_id>/parcel/",
        portal_parcel.parcel_report,
        name="portal-parcel",
    ),
]
