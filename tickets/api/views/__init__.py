"""The REST API under /api/v1/: reads through selectors, each change through a service (one
per endpoint), one module per resource.

Authentication, permissions, throttling and the error shape come from REST_FRAMEWORK's
defaults (tickets.api.authentication, .permissions, .throttling, .errors)."""

from tickets.api.views.cases import CaseEventViewSet, CaseMessageViewSet, CaseViewSet
from tickets.api.views.compensations import CaseCompensationViewSet
from tickets.api.views.customers import CustomerViewSet
from tickets.api.views.orders import OrderViewSet

__all__ = [
    "CaseCompensationViewSet",
    "CaseEventViewSet",
    "CaseMessageViewSet",
    "CaseViewSet",
    "CustomerViewSet",
    "OrderViewSet",
]
