"""Every URL of the shipments app, under the namespace "shipments": included at the site's
root before the API's catch-all, so its paths are full (webhooks/, api/v1/, portal/, agent/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from shipments import agent, portal_lost, portal_parcel, webhooks
from shipments.api.views import ShipmentViewSet

api = SimpleRouter(trailing_slash=True)
api.register("api/v1/shipments", ShipmentViewSet, basename="shipment")

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
    # /api/v1/shipments/ and /api/v1/shipments/<id>/[events/]
    path("", include(api.urls)),
    # --- the lost-parcel flow and insurance claims (agent actions, portal choice) ---
    path(
        "agent/shipments/<int:pk>/declare-lost/",
        agent.declare_lost,
        name="agent-shipment-declare-lost",
    ),
    path(
        "agent/shipments/<int:pk>/link/<str:number>/",
        agent.link,
        name="agent-shipment-link",
    ),
    path("agent/shipments/<int:pk>/outcome/", agent.outcome, name="agent-shipment-outcome"),
    path(
        "agent/shipments/<int:pk>/replacement/",
        agent.replacement,
        name="agent-shipment-replacement",
    ),
    path("agent/shipments/<int:pk>/events/", agent.manual_event, name="agent-shipment-event"),
    path("agent/shipments/<int:pk>/claim/", agent.claim_file, name="agent-shipment-claim"),
    path(
        "agent/shipments/claims/<int:pk>/answer/",
        agent.claim_answer,
        name="agent-claim-answer",
    ),
    path(
        "agent/shipments/claims/<int:pk>/refresh/",
        agent.claim_refresh,
        name="agent-claim-refresh",
    ),
    path(
        "portal/shipments/<int:shipment_id>/lost/",
        portal_lost.lost_choice,
        name="portal-lost-choice",
    ),
    # --- label downloads (shipments/labels) ---
    path("", include("shipments.labels.urls")),
    # --- the portal's tracking pages and the parcel form ---
    path(
        "portal/orders/<int:order_id>/parcel/",
        portal_parcel.parcel_report,
        name="portal-parcel",
    ),
]
