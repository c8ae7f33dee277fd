"""/api/v1/cases/ and the rows of one case (messages, timeline)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tickets import selectors
from tickets.api import filters
from tickets.api import serializers as s
from tickets.api.serializers.portal import (
    CasePortalLinkInputSerializer,
    CasePortalLinkOutputSerializer,
)
from tickets.api.views.base import (
    CASE_LIST_ERRORS,
    CASE_NUMBER,
    ApiViewSet,
    one,
    page_of,
)
from tickets.models import CaseEvent, Message
from tickets.services import timeline
from tickets.services.cases import case_create, case_transition, case_update
from tickets.services.messages import message_add
from tickets.services.portal_access import portal_link_send_by_agent


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
        "portal_link": ("tickets.view_case", "tickets.change_case"),
    }
    lookup_url_kwarg = "case_number"

    def get_queryset(self):
        return selectors.case_page(user=self.request.user)

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

    @extend_schema(
        summary="Email the customer a portal sign-in link",
        description="Queues an email to the case's customer with a single-use sign-in link "
        "to the customer portal that leads to this case; it works for "
        "PORTAL_LINK_MAX_AGE_SECONDS (10 minutes by default) and voids the customer's older "
        "links. The worker sends it; the request is audited with you as the agent. A customer "
        "without an email address is a 400 (code `customer_without_email`).",
        parameters=[CASE_NUMBER],
        request=CasePortalLinkInputSerializer,
        responses={
            202: OpenApiResponse(CasePortalLinkOutputSerializer, description=_("Queued.")),
        },
    )
    @action(detail=True, methods=["post"], url_path="portal-link")
    def portal_link(self, request, *args, **kwargs):
        case = self.get_object()
        self.parse(CasePortalLinkInputSerializer)
        portal_link_send_by_agent(case=case, actor=request.user)
        data = {
            "status": "queued",
            "email": case.customer.email,
            "detail": _("A sign-in link is on its way to %(email)s.")
            % {"email": case.customer.email},
        }
        return Response(CasePortalLinkOutputSerializer(data).data, status=status.HTTP_202_ACCEPTED)


class CaseChildViewSet(ApiViewSet):
    """Rows of one case, at /cases/{case_number}/…; an unknown number, or a case the user does
    not see, is a 404. A read loads only the case's id (what its rows are filtered by); a
    write, which the services check against the case, loads all of it."""

    def get_case(self):
        if not hasattr(self, "_case"):
            lookup = (
                selectors.case_ref
                if self.request.method in permissions.SAFE_METHODS
                else selectors.case_get
            )
            try:
                self._case = lookup(number=self.kwargs["case_number"], user=self.request.user)
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
