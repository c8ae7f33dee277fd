from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from tickets.api import errors as api_errors
from tickets.api.docs import SchemaView, SwaggerView

# Media (attachments, labels) is never served as static files: views check who may see it.
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="tickets:portal-home", permanent=False)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("tickets.api.urls")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Shipments' webhooks, API, portal and agent pages, with full paths (shipments/urls.py).
    path("", include("shipments.urls")),
    # Returns' API, portal forms and agent actions, with full paths (returns/urls.py).
    path("", include("returns.urls")),
    # Wrong items' API, portal and agent pages, with full paths (wrong_items/urls.py).
    path("", include("wrong_items.urls")),
    # Whatever else is under /api/ answers in the API's JSON error shape, not an HTML page.
    re_path(r"^api(?:/|$)", api_errors.api_not_found),
    path("webhooks/", include("tickets.webhooks.urls")),
    path("", include("tickets.urls")),
]

# Errors Django answers itself: JSON under /api/, the usual pages elsewhere.
handler400 = api_errors.handler400
handler403 = api_errors.handler403
handler404 = api_errors.handler404
handler500 = api_errors.handler500
