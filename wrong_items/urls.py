"""Every URL of the wrong_items app, under the namespace "wrong_items", included at the site's
root before the API's catch-all (full paths: api/v1/, portal/, agent/)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from wrong_items import agent, portal
from wrong_items.api.views import WrongItemReportViewSet

api = SimpleRouter(trailing_slash=True)
api.register("api/v1/wrong-item-reports", WrongItemReportViewSet, basename="wrong-item-report")

app_name = "wrong_items"

urlpatterns: list = [
    path("", include(api.urls)),
    path("portal/orders/<int:order_id>/wrong-item/", portal.report_new, name="portal-report"),
    path(
        "agent/wrong-items/<int:pk>/proposal/accept/",
        agent.proposal_accept,
        name="agent-proposal-accept",
    ),
    path(
        "agent/wrong-items/<int:pk>/proposal/dismiss/",
        agent.proposal_dismiss,
        name="agent-proposal-dismiss",
    ),
    path("agent/wrong-items/<int:pk>/reship/", agent.reship, name="agent-reship"),
    path("agent/wrong-items/<int:pk>/discount/", agent.discount, name="agent-discount"),
    path("agent/wrong-items/<int:pk>/refund/", agent.refund, name="agent-refund"),
    path("agent/wrong-items/<int:pk>/keep/", agent.keep, name="agent-keep"),
    path("agent/wrong-items/<int:pk>/return/", agent.return_item, name="agent-return"),
    path("agent/wrong-items/<int:pk>/root-cause/", agent.root_cause, name="agent-root-cause"),
    path(
        "agent/wrong-items/<int:pk>/preventive-actions/",
        agent.preventive_action,
        name="agent-preventive-action",
    ),
    path(
        "agent/wrong-items/<int:pk>/preventive-actions/done/",
        agent.preventive_action_done,
        name="agent-preventive-action-done",
    ),
]
