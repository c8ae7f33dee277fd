"""Every URL of the returns app, under the namespace "returns": included at the site's root
before the API's catch-all, so its paths are full (api/v1/, portal/, agent/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from returns import agent, portal, queue
from returns.api.views import ReturnRequestViewSet

api = SimpleRouter(trailing_slash=True)
api.register("api/v1/returns", ReturnRequestViewSet, basename="return")

app_name = "returns"

urlpatterns: list = [
    # /api/v1/returns/ and /api/v1/returns/<rma>/[approve|reject]/
    path("", include(api.urls)),
    # --- the portal's return and defect forms (the wizard's branches) ---
    path("portal/orders/<int:order_id>/return/", portal.return_form, name="portal-return"),
    path("portal/orders/<int:order_id>/defect/", portal.defect_form, name="portal-defect"),
    # --- the agent's decisions on the workspace panel ---
    path("agent/returns/<int:pk>/approve/", agent.approve, name="agent-return-approve"),
    path("agent/returns/<int:pk>/reject/", agent.reject, name="agent-return-reject"),
    path("agent/returns/<int:pk>/label/", agent.label, name="agent-return-label"),
    path("agent/returns/<int:pk>/receive/", agent.receive, name="agent-return-receive"),
    path("agent/returns/<int:pk>/inspect/", agent.inspect, name="agent-return-inspect"),
    path("agent/returns/<int:pk>/resolve/", agent.resolve, name="agent-return-resolve"),
    path("agent/returns/<int:pk>/refund/", agent.refund, name="agent-return-refund"),
    path("agent/returns/<int:pk>/ship-back/", agent.ship_back, name="agent-return-ship-back"),
    path(
        "agent/returns/refunds/<int:pk>/confirm/",
        agent.refund_confirmed,
        name="agent-refund-confirm",
    ),
    path("agent/returns/refunds/<int:pk>/fail/", agent.refund_failed, name="agent-refund-fail"),
    path("agent/returns/inspection/", queue.inspection_queue, name="agent-inspection-queue"),
]
