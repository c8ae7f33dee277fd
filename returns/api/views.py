"""/api/v1/returns/: list, create and show return requests by RMA number; approve, reject,
receive, inspect and resolve them; pay and confirm their refund; record what is sent back;
download the prepaid label's PDF. The same services as the portal and the dashboard."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from returns.api import serializers as s
from returns.errors import ClaimInvalid
from returns.selectors import request_label, return_requests_for_user
from returns.services.claims import (
    LineClaim,
    return_request_approve,
    return_request_reject,
    return_request_submit,
)
from returns.services.inspection import (
    LineInspection,
    return_request_inspect,
    return_request_resolve,
)
from returns.services.receipts import return_request_receive
from returns.services.refunds import (
    pending_refund,
    refund_confirm,
    refund_fail,
    refund_start,
)
from returns.services.shipback import return_ship_back
from shipments.api.orders import order_named
from shipments.labels import pdf
from shipments.labels.fonts import LabelFontsMissing
from tickets.api.errors import error_body
from tickets.api.schema import ErrorSerializer
from tickets.api.views.base import ApiViewSet, one, page_of
from tickets.models import Case

RMA = OpenApiParameter(
    "rma_number", OpenApiTypes.STR, OpenApiParameter.PATH, description="The RMA number."
)
CREATE_EXAMPLE = {
    "order_number": "1042",
    "kind": "defect",
    "lines": [{"order_line": 311, "quantity": 1, "reason_code": "stopped_working"}],
    "preferred_outcome": "replacement",
    "description": "It stopped heating after a week.",
    "photos": [5021],
}
SIZE = OpenApiParameter(
    "size",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=list(pdf.SIZES),
    default="a4",
    description=gettext_lazy(
        "`a4` (the label and the steps on one page) or `4x6` (inches, for a label printer)."
    ),
)
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description=gettext_lazy(
        "The units are in another return already, or the status does not allow the move."
    ),
)


class AnyAccepted(BaseContentNegotiation):
    """The label download answers whatever the client accepts (`Accept: application/pdf`
    included, where DRF would refuse with 406 before the view): the PDF is written as it is,
    and an error in the API's one JSON shape."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


@extend_schema(tags=["returns"])
@extend_schema_view(
    list=extend_schema(
        summary="List return requests",
        description="Return requests (RMAs) on the cases the key's user may see, newest first.",
        responses=page_of(s.ReturnRequestOutputSerializer, "return requests"),
    ),
    retrieve=extend_schema(
        summary="Get a return request by its RMA number",
        parameters=[RMA],
        responses=one(s.ReturnRequestOutputSerializer, "The request with its eligibility."),
    ),
)
class ReturnRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.ReturnRequestOutputSerializer
    lookup_field = "rma"
    # "…_number" so the visibility tests find the route (tests/tickets/test_visibility_routes.py).
    lookup_url_kwarg = "rma_number"
    required_permissions = {
        "list": ("returns.view_returnrequest",),
        "retrieve": ("returns.view_returnrequest",),
        "create": ("returns.add_returnrequest", "tickets.add_case"),
        "approve": ("returns.change_returnrequest",),
        "reject": ("returns.change_returnrequest",),
        "receive": ("returns.change_returnrequest",),
        "inspect": ("returns.change_returnrequest",),
        "resolve": ("returns.change_returnrequest", "tickets.add_compensation"),
        "refund": ("returns.change_returnrequest", "tickets.change_compensation"),
        "refund_confirm": ("returns.change_returnrequest", "tickets.change_compensation"),
        "refund_fail": ("returns.change_returnrequest", "tickets.change_compensation"),
        "ship_back": ("returns.change_returnrequest", "tickets.change_compensation"),
        "label_pdf": ("returns.view_returnrequest",),
    }

    def get_queryset(self):
        return return_requests_for_user(user=self.request.user)

    def _show(self, request_obj, code=status.HTTP_200_OK):
        fresh = self.get_queryset().get(pk=request_obj.pk)
        return Response(s.ReturnRequestOutputSerializer(fresh).data, status=code)

    @extend_schema(
        summary="Create a return request",
        description=(
            "Claim items of an order for its customer: each line is checked against the return "
            "policy (window, warranty, excluded products, quantity). Every refusal is a 400 "
            "naming the field, with the date or rule that applied; units already in another "
            "request are a 409 naming its RMA. Nothing is created then. Approved at once where "
            "the policy allows it."
        ),
        request=s.ReturnRequestInputSerializer,
        responses={
            201: OpenApiResponse(
                s.ReturnRequestOutputSerializer, description=gettext_lazy("Created.")
            ),
            409: CONFLICT,
        },
        examples=[OpenApiExample("A defect claim", value=CREATE_EXAMPLE, request_only=True)],
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(s.ReturnRequestInputSerializer).validated_data
        order = order_named(
            user=request.user, number=data["order_number"], store=data.get("store", "")
        )
        try:
            created = return_request_submit(
                order=order,
                kind=data["kind"],
                lines=[
                    LineClaim(
                        order_line_id=line["order_line"],
                        quantity=line["quantity"],
                        reason_code=line["reason_code"],
                        description=line.get("description", ""),
                    )
                    for line in data["lines"]
                ],
                preferred_outcome=data["preferred_outcome"],
                channel=Case.Channel.API,
                actor=request.user,
                description=data.get("description", ""),
                photo_ids=data.get("photos", []),
                sender_address=data.get("address"),
            )
        except ClaimInvalid as refused:
            return Response(
                error_body(str(refused), refused.code, refused.field_errors()),
                status=status.HTTP_400_BAD_REQUEST,
            )
        return self._show(created, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Approve a return request",
        parameters=[RMA],
        request=None,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        approved = return_request_approve(return_request=self.get_object(), actor=request.user)
        return self._show(approved)

    @extend_schema(
        summary="Reject a return request",
        description="The reason is told to the customer; the case is resolved.",
        parameters=[RMA],
        request=s.RejectInputSerializer,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        found = self.get_object()
        reason = self.parse(s.RejectInputSerializer).validated_data["reason"]
        rejected = return_request_reject(return_request=found, actor=request.user, reason=reason)
        return self._show(rejected)

    @extend_schema(
        summary="Mark the return parcel received",
        description="For a parcel that came without tracking; tracking does this by itself.",
        parameters=[RMA],
        request=None,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, *args, **kwargs):
        received = return_request_receive(return_request=self.get_object(), actor=request.user)
        return self._show(received)

    @extend_schema(
        summary="Record the inspection of every line",
        parameters=[RMA],
        request=s.InspectInputSerializer,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def inspect(self, request, *args, **kwargs):
        found = self.get_object()
        rows = self.parse(s.InspectInputSerializer).validated_data["lines"]
        inspected = return_request_inspect(
            return_request=found,
            lines=[
                LineInspection(
                    line_id=row["line"],
                    condition=row["condition"],
                    defect_confirmed=row.get("defect_confirmed"),
                    disposition=row["disposition"],
                    note=row.get("note", ""),
                )
                for row in rows
            ],
            actor=request.user,
        )
        return self._show(inspected)

    @extend_schema(
        summary="Decide the outcome of an inspected request",
        description=(
            "A refund or store credit of what is due (less the policy's restocking fee on a "
            "change-of-mind return), or of `amount` when less; an exchange, replacement or "
            "repair at what the units cost. Recorded as a compensation; the customer is told."
        ),
        parameters=[RMA],
        request=s.ResolveInputSerializer,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request, *args, **kwargs):
        found = self.get_object()
        data = self.parse(s.ResolveInputSerializer).validated_data
        return_request_resolve(
            return_request=found,
            resolution=data["resolution"],
            actor=request.user,
            amount=data.get("amount"),
            exchange_sku=data["exchange_sku"],
        )
        return self._show(found)

    @extend_schema(
        summary="Pay the request's refund, or try a failed one again",
        description=(
            "Starts a refund transaction for the approved refund of the request through the "
            "payment adapter: paid by a worker with Shopify, or waiting for `refund/confirm/` "
            "when the refund is made by hand in the shop. 409 when there is no approved refund, "
            "or one is under way or paid."
        ),
        parameters=[RMA],
        request=None,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def refund(self, request, *args, **kwargs):
        found = self.get_object()
        refund_start(return_request=found, actor=request.user)
        return self._show(found)

    @extend_schema(
        summary="Confirm the refund was made in the shop",
        description="The pending manual refund succeeded; the customer is told.",
        parameters=[RMA],
        request=s.RefundConfirmInputSerializer,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="refund/confirm", url_name="refund-confirm")
    def refund_confirm(self, request, *args, **kwargs):
        found = self.get_object()
        reference = self.parse(s.RefundConfirmInputSerializer).validated_data["reference"]
        refund_confirm(refund=pending_refund(found), reference=reference, actor=request.user)
        return self._show(found)

    @extend_schema(
        summary="Record that the shop could not pay the refund",
        description="The pending refund failed; `refund/` starts it again.",
        parameters=[RMA],
        request=s.RefundFailInputSerializer,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="refund/fail", url_name="refund-fail")
    def refund_fail(self, request, *args, **kwargs):
        found = self.get_object()
        reason = self.parse(s.RefundFailInputSerializer).validated_data["reason"]
        refund_fail(refund=pending_refund(found), reason=reason, actor=request.user)
        return self._show(found)

    @extend_schema(
        summary="Record the parcel sent back after an exchange, replacement or repair",
        description=(
            "A tracked replacement shipment on the case; the outcome's compensation is issued "
            "and the customer gets the tracking link. 409 for another outcome or a second time."
        ),
        parameters=[RMA],
        request=s.ShipBackInputSerializer,
        responses={200: s.ReturnRequestOutputSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="ship-back", url_name="ship-back")
    def ship_back(self, request, *args, **kwargs):
        found = self.get_object()
        data = self.parse(s.ShipBackInputSerializer).validated_data
        return_ship_back(
            return_request=found,
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
            actor=request.user,
        )
        return self._show(found)

    @extend_schema(
        summary="Download the prepaid return label as a PDF",
        description=(
            "The label the customer sticks on the parcel (with the steps to send it back), in "
            "the case's language: A4 by default, `?size=4x6` for a label printer. A request on "
            "a case the key's user does not see, or without a label yet, is a 404."
        ),
        parameters=[RMA, SIZE],
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("The label as a PDF file.")
            ),
            400: OpenApiResponse(
                ErrorSerializer, description=gettext_lazy("`size` is not a4 or 4x6.")
            ),
            404: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy(
                    "No such request on a case the key's user sees, or it has no label yet."
                ),
            ),
            503: OpenApiResponse(
                ErrorSerializer,
                description=gettext_lazy("The server cannot print labels: fonts are missing."),
            ),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="label.pdf",
        url_name="label-pdf",
        content_negotiation_class=AnyAccepted,
    )
    def label_pdf(self, request, *args, **kwargs):
        found = self.get_object()
        size = request.query_params.get("size", "a4")
        if size not in pdf.SIZES:
            raise exceptions.ValidationError(
                {"size": [_("Unknown label size %(size)s: use a4 or 4x6.") % {"size": size[:20]}]}
            )
        label = request_label(found)  # the request is on a case the user sees
        if label is None:
            raise exceptions.NotFound(
                _("No return label was issued for %(rma)s yet.") % {"rma": found.rma}
            )
        try:
            # The customer's words: the PDF is what they print, as the dashboard's download.
            body = pdf.label_pdf(label=label, size=size, language=found.case.language)
        except LabelFontsMissing as exc:
            return Response(
                error_body(str(exc), exc.code), status=status.HTTP_503_SERVICE_UNAVAILABLE
            )
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{found.rma}-{size}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-cache"
        return response
