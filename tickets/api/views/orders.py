"""/api/v1/orders/: read, and upsert one order or a batch through the order intake."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response

from tickets import selectors
from tickets.api import filters
from tickets.api import serializers as s
from tickets.api.views.base import (
    ApiViewSet,
    id_of,
    one,
    page_of,
)
from tickets.services.orders import OrdersInvalid, orders_upsert

ORDER_EXAMPLE = {
    "store": "default",
    "number": "1042",
    "customer": {"email": "mia@example.com", "name": "Mia Wong", "language": "de"},
    "placed_at": "2025-03-01T10:15:00Z",
    "currency": "EUR",
    "total": "54.90",
    "shipping_total": "4.90",
    "shipping_country": "DE",
    "lines": [{"sku": "KET-1", "title": "Kettle", "quantity": 1, "unit_price": "50.00"}],
}


def _row_errors(exc: OrdersInvalid, *, batch: bool) -> dict[str, list[str]]:
    """The service's per-row errors keyed as the request names them: `orders[3].total`."""
    if not batch:
        return exc.errors[0]
    return {
        f"orders[{index}]" + ("" if field == "non_field_errors" else f".{field}"): messages
        for index, row in sorted(exc.errors.items())
        for field, messages in row.items()
    }


@extend_schema(tags=["orders"])
@extend_schema_view(
    list=extend_schema(
        summary="List orders",
        description="Orders with their lines, newest first unless `ordering` says otherwise.",
        responses=page_of(s.OrderOutputSerializer, "orders"),
    ),
    retrieve=extend_schema(
        summary="Get an order with its lines",
        parameters=[id_of("order")],
        responses=one(s.OrderOutputSerializer, "The order with its lines."),
    ),
)
class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.OrderOutputSerializer
    filterset_class = filters.OrderFilter
    required_permissions = {
        "list": ("tickets.view_order",),
        "retrieve": ("tickets.view_order",),
        # An upsert creates or updates the order and its customer.
        "create": (
            "tickets.add_order",
            "tickets.change_order",
            "tickets.add_customer",
            "tickets.change_customer",
        ),
    }

    def get_queryset(self):
        return selectors.order_list_for(user=self.request.user)

    @extend_schema(
        summary="Create or update orders",
        description=(
            'Send one order, or `{"orders": [...]}` with up to 1,000. Orders are matched by '
            "`store` and `number`, customers by email (ignoring case); sending the same order "
            "twice changes nothing the second time. All or nothing: if any order is invalid, "
            "none is stored and `errors` names each bad field, e.g. "
            "`orders[3].lines[0].quantity` (plain field names for a single order). "
            "Answers 201 when at least one order was new, else 200."
        ),
        request=PolymorphicProxySerializer(
            component_name="OrderUpsert",
            serializers=[s.OrderInputSerializer, s.OrderBatchInputSerializer],
            resource_type_field_name=None,
        ),
        responses={
            200: OpenApiResponse(
                s.OrderUpsertOutputSerializer, description=_("Stored; no order was new.")
            ),
            201: OpenApiResponse(
                s.OrderUpsertOutputSerializer, description=_("Stored; some orders were new.")
            ),
        },
        examples=[
            OpenApiExample("One order", value=ORDER_EXAMPLE, request_only=True),
            OpenApiExample("A batch", value={"orders": [ORDER_EXAMPLE]}, request_only=True),
        ],
    )
    def create(self, request, *args, **kwargs):
        batch = isinstance(request.data, dict) and "orders" in request.data
        input_class = s.OrderBatchInputSerializer if batch else s.OrderInputSerializer
        serializer = self.parse(input_class)
        rows = serializer.to_order_data() if batch else [serializer.to_order_data()]
        try:
            result = orders_upsert(rows=rows)
        except OrdersInvalid as exc:
            raise exceptions.ValidationError(_row_errors(exc, batch=batch)) from exc
        output = s.OrderUpsertOutputSerializer(result)
        return Response(
            output.data, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        )
