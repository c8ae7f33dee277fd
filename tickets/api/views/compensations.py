"""/api/v1/cases/{case_number}/compensations/: a case's compensation ledger."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from tickets import selectors
from tickets.api import serializers as s
from tickets.api.views.base import (
    CASE_LIST_ERRORS,
    CASE_NUMBER,
    id_of,
    one,
    page_of,
)
from tickets.api.views.cases import CaseChildViewSet
from tickets.models import Compensation
from tickets.services.compensations import (
    compensation_approve,
    compensation_cancel,
    compensation_mark_failed,
    compensation_mark_issued,
    compensation_propose,
    compensation_reject,
)

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
