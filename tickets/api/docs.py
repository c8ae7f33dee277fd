"""The schema and docs views. Apart from tickets.api.schema, which DRF's settings import
while drf_spectacular's views are still loading."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONRenderer


class JsonErrorsMixin:
    """The schema is YAML and the docs HTML, but their errors (a POST: 405) are the API's
    JSON error shape like every other answer under /api/."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    pass


class SwaggerView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    """The split view serves Swagger UI's start-up script as a file (/api/docs/?script=), so the
    page runs under our Content-Security-Policy with no inline script."""
