"""The app's URLs plus the floor views, for the bench server only (settings.ROOT_URLCONF)."""

from django.urls import include, path

from aftersales import urls as app_urls
from tests.benchmarks.web import floor

urlpatterns = [
    path("bench/floor-2b/", floor.floor_2b),
    path("bench/floor-pk/<int:pk>/", floor.floor_pk),
    path("bench/floor-signed-in/<int:pk>/", floor.floor_signed_in),
    path("", include(app_urls)),
]

handler400 = app_urls.handler400
handler403 = app_urls.handler403
handler404 = app_urls.handler404
handler500 = app_urls.handler500
