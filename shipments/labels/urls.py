"""The label downloads, included by shipments/urls.py under its "shipments" namespace."""

from django.urls import path

from shipments.labels import views

urlpatterns = [
    path(
        "portal/labels/<int:label_id>/label.pdf",
        views.portal_label_pdf,
        name="portal-label-pdf",
    ),
    path(
        "agent/shipments/labels/<int:pk>/label.pdf", views.agent_label_pdf, name="agent-label-pdf"
    ),
]
