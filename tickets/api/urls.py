from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tickets.api import views

router = SimpleRouter(trailing_slash=True)
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("orders", views.OrderViewSet, basename="order")
router.register("cases", views.CaseViewSet, basename="case")
router.register(
    r"cases/(?P<case_number>[^/]+)/messages", views.CaseMessageViewSet, basename="case-message"
)
router.register(
    r"cases/(?P<case_number>[^/]+)/events", views.CaseEventViewSet, basename="case-event"
)
router.register(
    r"cases/(?P<case_number>[^/]+)/compensations",
    views.CaseCompensationViewSet,
    basename="case-compensation",
)

urlpatterns = [path("", include(router.urls))]
