"""The REST API under /api/v1/: reads through selectors, each change through a service (one
per endpoint).

Authentication, permissions, throttling and the error shape come from REST_FRAMEWORK's
defaults (tickets.api.authentication, .permissions, .throttling, .errors)."""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from tickets import selectors
from tickets.api import filters
from tickets.api import serializers as s
from tickets.api.errors import flatten_errors
from tickets.api.schema import ErrorSerializer
from tickets.api.serializers import json_type_errors
from tickets.models import CaseEvent, Compensation, Message
from tickets.services import timeline
from tickets.services.cases import case_create, case_transition, case_update
from tickets.services.compensations import (
    compensation_approve,
    compensation_cancel,
    compensation_mark_failed,
    compensation_mark_issued,
    compensation_propose,
    compensation_reject,
)
from tickets.services.messages import message_add
from tickets.services.orders import OrdersInvalid, orders_upsert

# --- request bodies ---------------------------------------------------------------------------


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = _("The request body is too large.")


class StrictJSONParser(parsers.JSONParser):
    """JSON, refused with 400 where it could not be stored: nested too deep for the parser,
    or a string holding a lone UTF-16 surrogate such as "\\ud800" (no database takes it)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError(_("JSON parse error - nested too deeply.")) from exc
        try:
            json.dumps(data, ensure_ascii=False).encode()
        except UnicodeEncodeError as exc:
            raise exceptions.ParseError(
                _("JSON parse error - a string holds a lone UTF-16 surrogate (\\ud800-\\udfff).")
            ) from exc
        return data


# --- shared schema pieces ---------------------------------------------------------------------

LIST_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("A filter or ordering value is invalid.")),
    404: OpenApiResponse(ErrorSerializer, description=_("No such page.")),
}
CASE_LIST_ERRORS = {
    **LIST_ERRORS,
    404: OpenApiResponse(ErrorSerializer, description=_("No such case, or no such page.")),
}
# A case is `{case_number}` in every path: the case itself and the rows under it.
CASE_NUMBER = OpenApiParameter(
    "case_number",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("The case's number, e.g. AS-7KQM-4TXC."),
)


def id_of(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The %s's id.") % what
    )


def page_of(serializer_class, what: str) -> dict:
    """Responses of a list: a page of `serializer_class` rows and the list errors."""
    return {
        200: OpenApiResponse(serializer_class(many=True), description=_("A page of %s.") % what),
        **LIST_ERRORS,
    }


def one(serializer_class, description: str) -> dict:
    return {200: OpenApiResponse(serializer_class, description=description)}


class ApiViewSet(viewsets.GenericViewSet):
    parser_classes = [StrictJSONParser]
    filter_backends = [DjangoFilterBackend]
    # Any segment reaches the view, so a malformed id is this API's JSON 404, not Django's page.
    lookup_value_regex = "[^/]+"

    def get_object(self):
        """The object named in the URL; query parameters filter lists only."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        try:
            obj = self.get_queryset().filter(**{self.lookup_field: self.kwargs[lookup]}).first()
        except (TypeError, ValueError, DjangoValidationError):
            obj = None  # "abc" for an integer id, or a NUL byte PostgreSQL refuses
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def parse(self, serializer_class, **kwargs):
        """The request body through `serializer_class`, valid, or a 400 naming every bad field.
        A value of another JSON type than the schema says (5 for "5", "true" for true) is
        refused too, where DRF alone would quietly convert it."""
        serializer = serializer_class(data=self.request.data, **kwargs)
        type_errors = json_type_errors(serializer, self.request.data)
        if serializer.is_valid() and not type_errors:
            return serializer
        errors = flatten_errors(serializer.errors) if serializer.errors else {}
        errors.update(flatten_errors(type_errors or {}))
        raise exceptions.ValidationError(errors)

    def handle_exception(self, exc):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE when DRF reads request.body,
        # with an exception DRF's handler does not know: answer 413 in the error shape.
        if isinstance(exc, RequestDataTooBig):
            exc = RequestTooLarge(
                _("The request body is larger than %(limit)d bytes; send less in one call.")
                % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}
            )
        return super().handle_exception(exc)


# --- customers --------------------------------------------------------------------------------


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


# --- orders -----------------------------------------------------------------------------------

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


# --- cases ------------------------------------------------------------------------------------


@extend_schema(tags=["cases"])
@extend_schema_view(
    list=extend_schema(
        summary="List cases",
        description="Cases, newest first unless `ordering` says otherwise. Poll with "
        "`updated_since` to sync changes.",
        responses=page_of(s.CaseOutputSerializer, "cases"),
    ),
    retrieve=extend_schema(
        summary="Get a case",
        parameters=[CASE_NUMBER],
        responses=one(s.CaseOutputSerializer, "The case; send its `version` with a change."),
    ),
)
class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.CaseOutputSerializer
    filterset_class = filters.CaseFilter
    lookup_field = "number"
    required_permissions = {
        "list": ("tickets.view_case",),
        "retrieve": ("tickets.view_case",),
        "create": ("tickets.add_case",),
        "partial_update": ("tickets.change_case",),
        "transitions": ("tickets.change_case",),
    }
    lookup_url_kwarg = "case_number"

    def get_queryset(self):
        return selectors.case_list(user=self.request.user)

    def _render(self, case, code=status.HTTP_200_OK) -> Response:
        case = selectors.case_written(case=case)
        return Response(s.CaseOutputSerializer(case).data, status=code)

    @extend_schema(
        summary="Open a case for a customer",
        description="Opens a case on behalf of a customer, named by `customer` (id) or "
        "`customer_email`. `description` becomes the customer's first message; `order` must "
        "be one of the customer's orders (else 400, code `order_not_of_customer`).",
        request=s.CaseCreateInputSerializer,
        responses={201: OpenApiResponse(s.CaseOutputSerializer, description=_("Opened."))},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.parse(s.CaseCreateInputSerializer)
        case = case_create(**serializer.validated_data, actor=request.user)
        return self._render(case, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a case's priority or assignee",
        description="Send the `version` you read with the change; if the case changed "
        "meanwhile, nothing is written and the answer is 409 (code `stale_version`).",
        parameters=[CASE_NUMBER],
        request=s.CaseUpdateInputSerializer,
        responses=one(s.CaseOutputSerializer, _("Changed (or already so); the new version.")),
    )
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        serializer = self.parse(s.CaseUpdateInputSerializer)
        data = serializer.validated_data
        case.version = data.pop("version")
        case = case_update(case=case, actor=request.user, **data)
        return self._render(case)

    @extend_schema(
        summary="Move a case to another status",
        description="Allowed moves: new → open; open → waiting_on_customer, waiting_on_return, "
        "waiting_on_carrier or resolved; each waiting status → open; resolved → open or "
        "closed. Any other move is a 409 with code `invalid_transition`, as is a stale "
        "`version` (code `stale_version`): read the case again.",
        parameters=[CASE_NUMBER],
        request=s.CaseTransitionInputSerializer,
        responses=one(s.CaseOutputSerializer, _("Moved; the new status and version.")),
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request, *args, **kwargs):
        case = self.get_object()
        serializer = self.parse(s.CaseTransitionInputSerializer)
        case.version = serializer.validated_data["version"]
        case = case_transition(
            case=case,
            to=serializer.validated_data["to"],
            reason=serializer.validated_data["reason"],
            actor=request.user,
        )
        return self._render(case)


class CaseChildViewSet(ApiViewSet):
    """Rows of one case, at /cases/{case_number}/…; an unknown number, or a case the user does
    not see, is a 404."""

    def get_case(self):
        if not hasattr(self, "_case"):
            try:
                self._case = selectors.case_get(
                    number=self.kwargs["case_number"], user=self.request.user
                )
            except ValueError:
                self._case = None  # a NUL byte, which PostgreSQL refuses in a query
            if self._case is None:
                raise Http404
        return self._case


@extend_schema(tags=["cases"], parameters=[CASE_NUMBER])
@extend_schema_view(
    list=extend_schema(
        summary="List a case's messages",
        description="Customer messages, agent replies and internal notes, oldest first.",
        responses={**page_of(s.MessageOutputSerializer, "messages"), **CASE_LIST_ERRORS},
    ),
    create=extend_schema(
        summary="Reply or add an internal note",
        description="Adds a message as the agent (the API key's user). A public reply is sent "
        "to the customer; an internal note is not. A closed case refuses it with 403.",
        request=s.MessageCreateInputSerializer,
        responses={
            201: OpenApiResponse(s.MessageOutputSerializer, description=_("Added.")),
        },
    ),
)
class CaseMessageViewSet(mixins.ListModelMixin, CaseChildViewSet):
    serializer_class = s.MessageOutputSerializer
    filterset_class = filters.MessageFilter
    required_permissions = {
        "list": ("tickets.view_case", "tickets.view_message"),
        "create": ("tickets.view_case", "tickets.add_message"),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, no URL kwargs
            return Message.objects.none()
        return selectors.message_list(case=self.get_case())

    def create(self, request, *args, **kwargs):
        case = self.get_case()
        serializer = self.parse(s.MessageCreateInputSerializer)
        message = message_add(
            case=case,
            author_kind=Message.Author.AGENT,
            actor=request.user,
            **serializer.validated_data,
        )
        message = selectors.message_list(case=case).get(pk=message.pk)
        return Response(s.MessageOutputSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["cases"], parameters=[CASE_NUMBER])
@extend_schema_view(
    list=extend_schema(
        summary="List a case's timeline",
        description="What happened to the case, oldest first: the audit trail.",
        parameters=[
            # Apps register their verbs at start-up, before the schema is first generated.
            OpenApiParameter(
                "verb",
                OpenApiTypes.STR,
                enum=[verb for verb, _label in timeline.verb_choices()],
                description=_("What happened, e.g. `status_changed`."),
            )
        ],
        responses={**page_of(s.CaseEventOutputSerializer, "events"), **CASE_LIST_ERRORS},
    ),
)
class CaseEventViewSet(mixins.ListModelMixin, CaseChildViewSet):
    serializer_class = s.CaseEventOutputSerializer
    filterset_class = filters.CaseEventFilter
    required_permissions = {"list": ("tickets.view_case", "tickets.view_caseevent")}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, no URL kwargs
            return CaseEvent.objects.none()
        return selectors.case_event_list(case=self.get_case())


# --- compensations ----------------------------------------------------------------------------

COMPENSATION_ID = id_of("compensation")


def compensation_action(summary: str, description: str, request) -> dict:
    """The schema of one state change of a compensation: its input, and the moved row."""
    return {
        "summary": summary,
        "description": description,
        "parameters": [COMPENSATION_ID],
        "request": request,
        "responses": one(
            s.CompensationOutputSerializer, _("Moved; the compensation as it is now.")
        ),
    }


@extend_schema(tags=["compensations"], parameters=[CASE_NUMBER])
@extend_schema_view(
    list=extend_schema(
        summary="List a case's compensations",
        description="What making the case right cost or will cost, oldest first.",
        responses={**page_of(s.CompensationOutputSerializer, "compensations"), **CASE_LIST_ERRORS},
    ),
    retrieve=extend_schema(
        summary="Get a compensation",
        parameters=[COMPENSATION_ID],
        responses=one(s.CompensationOutputSerializer, "The compensation."),
    ),
    create=extend_schema(
        summary="Propose a compensation",
        description="Proposes a refund, credit, code, replacement or repair as the API key's "
        "user, in the order's currency unless `currency` says otherwise. Up to "
        "COMPENSATION_APPROVAL_THRESHOLD (in the base currency) it is approved at once; above "
        "it, it waits for someone with the approve_compensation permission. A closed case "
        "refuses it (403, code `case_closed`); a currency without an exchange rate is a 409 "
        "(code `missing_exchange_rate`).",
        request=s.CompensationProposeInputSerializer,
        responses={
            201: OpenApiResponse(s.CompensationOutputSerializer, description=_("Proposed.")),
        },
    ),
    approve=extend_schema(
        **compensation_action(
            "Approve a proposed compensation",
            "Above the approval limit only a user with the approve_compensation permission "
            "(a supervisor) may approve (else 403).",
            s.CompensationApproveInputSerializer,
        )
    ),
    reject=extend_schema(
        **compensation_action(
            "Reject a proposed compensation",
            "Turns a proposal down, saying why; final.",
            s.CompensationRejectInputSerializer,
        )
    ),
    issue=extend_schema(
        **compensation_action(
            "Mark a compensation issued",
            "The refund, credit or code went out (an approved or failed one); "
            "`external_reference` keeps the shop's or payment provider's id. Final.",
            s.CompensationIssueInputSerializer,
        )
    ),
    fail=extend_schema(
        **compensation_action(
            "Mark issuing a compensation failed",
            "Issuing an approved compensation failed, with the reason; it may be issued "
            "again later, or cancelled.",
            s.CompensationFailInputSerializer,
        )
    ),
    cancel=extend_schema(
        **compensation_action(
            "Cancel an approved compensation",
            "Calls off an approved (or failed) compensation before it is issued, saying why; "
            "final.",
            s.CompensationCancelInputSerializer,
        )
    ),
)
class CaseCompensationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, CaseChildViewSet):
    """A case's compensation ledger. Each state change is its own action, with its own input,
    calling one service; a move the status does not allow is a 409 (`invalid_transition`)."""

    serializer_class = s.CompensationOutputSerializer
    # Approving above COMPENSATION_APPROVAL_THRESHOLD also needs tickets.approve_compensation,
    # which the service checks (it knows the amount).
    required_permissions = {
        "list": ("tickets.view_case", "tickets.view_compensation"),
        "retrieve": ("tickets.view_case", "tickets.view_compensation"),
        "create": ("tickets.view_case", "tickets.add_compensation"),
        **dict.fromkeys(
            ("approve", "reject", "issue", "fail", "cancel"),
            ("tickets.view_case", "tickets.change_compensation"),
        ),
    }

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator, no URL kwargs
            return Compensation.objects.none()
        return selectors.compensation_list(case=self.get_case())

    def _render(self, compensation, code=status.HTTP_200_OK) -> Response:
        compensation = self.get_queryset().get(pk=compensation.pk)
        return Response(s.CompensationOutputSerializer(compensation).data, status=code)

    def create(self, request, *args, **kwargs):
        case = self.get_case()
        serializer = self.parse(s.CompensationProposeInputSerializer)
        compensation = compensation_propose(
            case=case, actor=request.user, **serializer.validated_data
        )
        return self._render(compensation, status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        compensation = self.get_object()
        self.parse(s.CompensationApproveInputSerializer)
        return self._render(compensation_approve(compensation=compensation, actor=request.user))

    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        compensation = self.get_object()
        serializer = self.parse(s.CompensationRejectInputSerializer)
        return self._render(
            compensation_reject(
                compensation=compensation, actor=request.user, **serializer.validated_data
            )
        )

    @action(detail=True, methods=["post"])
    def issue(self, request, *args, **kwargs):
        compensation = self.get_object()
        serializer = self.parse(s.CompensationIssueInputSerializer)
        return self._render(
            compensation_mark_issued(
                compensation=compensation, actor=request.user, **serializer.validated_data
            )
        )

    @action(detail=True, methods=["post"])
    def fail(self, request, *args, **kwargs):
        compensation = self.get_object()
        serializer = self.parse(s.CompensationFailInputSerializer)
        return self._render(
            compensation_mark_failed(
                compensation=compensation, actor=request.user, **serializer.validated_data
            )
        )

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        compensation = self.get_object()
        serializer = self.parse(s.CompensationCancelInputSerializer)
        return self._render(
            compensation_cancel(
                compensation=compensation, actor=request.user, **serializer.validated_data
            )
        )
