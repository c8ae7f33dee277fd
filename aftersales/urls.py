from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# Media (attachments, labels) is never served as static files: views check who may see it.
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="tickets:portal-home", permanent=False)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("tickets.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file (/api/docs/?script=), so the
    # page runs under our Content-Security-Policy with no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("webhooks/", include("tickets.webhooks.urls")),
    path("", include("tickets.urls")),
]
