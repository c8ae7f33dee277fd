"""/api/v1/shipments/: list, create and show shipments; add tracking events to one for
carriers without a webhook. Events go through the same intake as the webhooks."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shipments.api import serializers as s
from shipments.api.filters import ShipmentFilter
from shipments.api.orders import order_named
from shipments.models import TrackingEvent
from shipments.selectors.shipments import (
    shipment_detail_for,
    shipment_list_for,
)
from shipments.services.intake import events_record
from shipments.services.shipments import ShipmentExists, ShipmentInvalid, shipment_create
from shipments.tracking import EventIn
from tickets.api.errors import error_body
from tickets.api.schema import ErrorSerializer
from tickets.api.views.base import ApiViewSet, id_of, one, page_of

SHIPMENT_EXAMPLE = {
    "order_number": "1042",
    "carrier": "dhl_express",
    "tracking_number": "JD014600006281230",
    "service_level": "standard",
    "origin_country": "DE",
    "destination_country": "FR",
    "shipped_at": "2026-03-02T09:00:00+01:00",
    "promised_delivery_date": "2026-03-06",
    "insured_value": "120.00",
}
EVENT_EXAMPLE = {
    "occurred_at": "2026-03-03T06:40:00+01:00",
    "status": "customs_hold",
    "incident_reason": "customs_documents",
    "carrier_code": "CD",
    "message": "Held by customs: commercial invoice required",
    "location": "Paris, FR",
}


def _event_in(data: dict) -> EventIn:
    return EventIn(
        occurred_at=data["occurred_at"],
        status=data["status"],
        incident_reason=data.get("incident_reason", ""),
        raw_status=data.get("carrier_code", ""),
        message=data.get("message", ""),
        location=data.get("location", ""),
        external_id=data.get("id", ""),
        estimate=data.get("estimated_delivery"),
        payload={
            key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in data.items()
        },
    )


@extend_schema(tags=["shipments"])
@extend_schema_view(
    list=extend_schema(
        summary="List shipments",
        description="Shipments with their carrier and order, newest first.",
        responses=page_of(s.ShipmentOutputSerializer, "shipments"),
    ),
    retrieve=extend_schema(
        summary="Get a shipment with its tracking events",
        parameters=[id_of("shipment")],
        responses=one(s.ShipmentDetailOutputSerializer, "The shipment with its events."),
    ),
)
class ShipmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.ShipmentOutputSerializer
    filterset_class = ShipmentFilter
    required_permissions = {
        "list": ("shipments.view_shipment",),
        "retrieve": ("shipments.view_shipment", "shipments.view_trackingevent"),
        "create": ("shipments.add_shipment",),
        "events": ("shipments.view_shipment", "shipments.add_trackingevent"),
    }

    def get_queryset(self):
        if self.action == "retrieve":
            return shipment_detail_for(user=self.request.user)
        return shipment_list_for(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.ShipmentDetailOutputSerializer
        return s.ShipmentOutputSerializer

    @extend_schema(
        summary="Create a shipment",
        description=(
            "A parcel of an order, named by the shop's order number. The carrier is our code "
            "or its name; one we do not know is added. A tracking number the carrier has "
            "already is a 409."
        ),
        request=s.ShipmentInputSerializer,
        responses={
            201: OpenApiResponse(
                s.ShipmentDetailOutputSerializer, description=gettext_lazy("Created.")
            ),
            409: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy("The carrier has a shipment with this tracking number."),
            ),
        },
        examples=[OpenApiExample("A parcel", value=SHIPMENT_EXAMPLE, request_only=True)],
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(s.ShipmentInputSerializer).validated_data
        order = order_named(
            user=request.user, number=data["order_number"], store=data.get("store", "")
        )
        try:
            shipment = shipment_create(
                order=order,
                carrier=data["carrier"],
                tracking_number=data["tracking_number"],
                direction=data["direction"],
                service_level=data["service_level"],
                origin_country=data.get("origin_country", ""),
                destination_country=data.get("destination_country", ""),
                shipped_at=data.get("shipped_at"),
                promised_delivery_date=data.get("promised_delivery_date"),
                insured_value=data.get("insured_value"),
                insured_currency=data.get("insured_currency", ""),
            )
        except ShipmentExists as exc:
            return Response(error_body(str(exc), exc.code), status=status.HTTP_409_CONFLICT)
        except ShipmentInvalid as exc:
            raise exceptions.ValidationError(exc.errors) from exc
        shipment = shipment_detail_for(user=request.user).get(pk=shipment.pk)
        return Response(
            s.ShipmentDetailOutputSerializer(shipment).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Add tracking events to a shipment",
        description=(
            'One event, or `{"events": [...]}` with up to 1,000, for carriers without a '
            "webhook. Each is stored once (by `id`, or by its time, status, code, message "
            "and location); an event older than the shipment's latest is kept in its history "
            "but does not move its status back, and a delivered shipment stays delivered. "
            "All or nothing: an invalid event stores none, and `errors` names it, e.g. "
            "`events[3].occurred_at`. Answers 201 when an event was new, else 200."
        ),
        parameters=[id_of("shipment")],
        request=PolymorphicProxySerializer(
            component_name="TrackingEventsAdd",
            serializers=[s.EventInputSerializer, s.EventBatchInputSerializer],
            resource_type_field_name=None,
        ),
        responses={
            200: OpenApiResponse(
                s.RecordResultOutputSerializer, description=gettext_lazy("Nothing new.")
            ),
            201: OpenApiResponse(
                s.RecordResultOutputSerializer, description=gettext_lazy("Events stored.")
            ),
        },
        examples=[
            OpenApiExample("One event", value=EVENT_EXAMPLE, request_only=True),
            OpenApiExample("A batch", value={"events": [EVENT_EXAMPLE]}, request_only=True),
        ],
    )
    @action(detail=True, methods=["post"])
    def events(self, request, *args, **kwargs):
        shipment = self.get_object()
        batch = isinstance(request.data, dict) and "events" in request.data
        if batch:
            rows = self.parse(s.EventBatchInputSerializer).validated_data["events"]
        else:
            rows = [self.parse(s.EventInputSerializer).validated_data]
        result = events_record(
            shipment=shipment,
            events=[_event_in(row) for row in rows],
            source=TrackingEvent.Source.API,
        )
        output = s.RecordResultOutputSerializer(
            {
                "stored": result.stored,
                "duplicates": result.duplicates,
                "status_changes": result.status_changes,
                "status": shipment.status,
            }
        )
        return Response(
            output.data, status=status.HTTP_201_CREATED if result.stored else status.HTTP_200_OK
        )
