"""/api/v1/customers/: read-only."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins

from tickets import selectors
from tickets.api import filters
from tickets.api import serializers as s
from tickets.api.views.base import (
    ApiViewSet,
    id_of,
    one,
    page_of,
)


@extend_schema(tags=["customers"])
@extend_schema_view(
    list=extend_schema(
        summary="List customers",
        description="Customers, filtered and ordered by the query parameters; `search` looks "
        "in email and name.",
        responses=page_of(s.CustomerOutputSerializer, "customers"),
    ),
    retrieve=extend_schema(
        summary="Get a customer",
        parameters=[id_of("customer")],
        responses=one(s.CustomerOutputSerializer, "The customer."),
    ),
)
class CustomerViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.CustomerOutputSerializer
    filterset_class = filters.CustomerFilter
    filter_backends = [DjangoFilterBackend, filters.CustomerSearchFilter]
    search_fields = ["email", "name"]
    required_permissions = {
        "list": ("tickets.view_customer",),
        "retrieve": ("tickets.view_customer",),
    }

    def get_queryset(self):
        return selectors.customer_list_for(user=self.request.user)
