from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

# Media (attachments, labels) is never served as static files: views check who may see it.
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="tickets:portal-home", permanent=False)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tickets.urls")),
]
