"""/api/v1/wrong-item-reports/: list, create and show wrong-item reports with their case,
reshipment, discount codes and root cause; one action endpoint per service (reship, discount,
keep-or-return, refund, root-cause). Domain refusals come back in the API's error shape
(409 for a conflict, 400 naming the fields for bad input)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from shipments.selectors.shipments import order_for_shipment
from tickets.api.views.base import ApiViewSet, id_of, one, page_of
from tickets.models import Attachment
from wrong_items.api import serializers as s
from wrong_items.selectors import report_list
from wrong_items.services import actions, discounts, proposals, reports, root_causes

PERMS = ("wrong_items.view_wrongitemreport",)
CHANGE = (*PERMS, "wrong_items.change_wrongitemreport", "tickets.add_compensation")


def _photos(ids: list[int], customer_id: int) -> list[SimpleUploadedFile]:
    """The customer's own attachments `ids` as files for the new case (checked when stored)."""
    rows = {
        row.pk: row
        for row in Attachment.objects.filter(pk__in=ids, message__case__customer_id=customer_id)
    }
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        raise exceptions.ValidationError(
            {"photos": [_("No attachment of this customer with id %(ids)s.") % {"ids": missing}]}
        )
    files = []
    for pk in ids:
        row = rows[pk]
        with row.file.open("rb") as handle:
            files.append(SimpleUploadedFile(row.filename, handle.read(), row.content_type))
    return files


@extend_schema(tags=["wrong items"])
@extend_schema_view(
    list=extend_schema(
        summary="List wrong-item reports",
        responses=page_of(s.ReportOutputSerializer, "wrong-item reports"),
    ),
    retrieve=extend_schema(
        summary="Get a wrong-item report with its reshipment, discount codes and root cause",
        parameters=[id_of("report")],
        responses=one(s.ReportDetailOutputSerializer, "The report."),
    ),
)
class WrongItemReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = s.ReportOutputSerializer
    required_permissions = {
        "list": PERMS,
        "retrieve": PERMS,
        "create": (*PERMS, "wrong_items.add_wrongitemreport", "tickets.add_case"),
        "proposal_accept": CHANGE,
        "proposal_dismiss": (*PERMS, "wrong_items.change_wrongitemreport"),
        "reship": CHANGE,
        "discount": CHANGE,
        "refund": CHANGE,
        "keep_or_return": (*PERMS, "wrong_items.change_wrongitemreport"),
        "root_cause": (*PERMS, "wrong_items.add_rootcause"),
    }

    def get_queryset(self):
        return report_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.ReportDetailOutputSerializer
        return s.ReportOutputSerializer

    def _detail(self, report, code=status.HTTP_200_OK) -> Response:
        report = report_list(user=self.request.user).get(pk=report.pk)
        return Response(s.ReportDetailOutputSerializer(report).data, status=code)

    @extend_schema(
        summary="Report a wrong item",
        request=s.ReportInputSerializer,
        responses={201: s.ReportDetailOutputSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = self.parse(s.ReportInputSerializer).validated_data
        orders = order_for_shipment(user=request.user, number=data["order_number"])
        if len(orders) != 1:
            raise exceptions.ValidationError(
                {"order_number": [_("No order %(number)s.") % {"number": data["order_number"]}]}
            )
        order = orders[0]
        line = order.lines.filter(pk=data["order_line"]).first()
        if line is None:
            raise exceptions.ValidationError(
                {"order_line": [_("This order has no line with this id.")]}
            )
        report = reports.report_create(
            order_line=line,
            received_description=data["received_description"],
            received_sku=data["received_sku"],
            preference=data["preference"],
            photos=_photos(data["photos"], order.customer_id),
            channel="api",
        )
        return self._detail(report, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accept the automatic proposal: reship (or refund) and a discount code",
        request=None,
    )
    @action(detail=True, methods=["post"], url_path="proposal/accept")
    def proposal_accept(self, request, *args, **kwargs):
        report = self.get_object()
        proposals.proposal_accept(report=report, actor=request.user)
        return self._detail(report)

    @extend_schema(summary="Dismiss the automatic proposal", request=s.DismissInputSerializer)
    @action(detail=True, methods=["post"], url_path="proposal/dismiss")
    def proposal_dismiss(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.parse(s.DismissInputSerializer).validated_data
        proposals.proposal_dismiss(report=report, actor=request.user, reason=data["reason"])
        return self._detail(report)

    @extend_schema(summary="Reship the right item, expedited", request=s.ReshipInputSerializer)
    @action(detail=True, methods=["post"])
    def reship(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.parse(s.ReshipInputSerializer).validated_data
        actions.report_reship(report=report, actor=request.user, **data)
        return self._detail(report)

    @extend_schema(summary="Give a discount code", request=s.DiscountInputSerializer)
    @action(detail=True, methods=["post"])
    def discount(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.parse(s.DiscountInputSerializer).validated_data
        discounts.discount_issue(report=report, actor=request.user, **data)
        return self._detail(report)

    @extend_schema(summary="Refund instead of reshipping", request=s.RefundInputSerializer)
    @action(detail=True, methods=["post"])
    def refund(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.parse(s.RefundInputSerializer).validated_data
        actions.report_refund(report=report, actor=request.user, amount=data["amount"])
        return self._detail(report)

    @extend_schema(
        summary="Keep the wrong item, or return it with a prepaid label",
        request=s.KeepOrReturnInputSerializer,
    )
    @action(detail=True, methods=["post"], url_path="keep-or-return")
    def keep_or_return(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.parse(s.KeepOrReturnInputSerializer).validated_data
        if data["outcome"] == "keep":
            actions.item_keep(report=report, actor=request.user)
        else:
            actions.item_return(
                report=report, customer_address=dict(data["address"]), actor=request.user
            )
        return self._detail(report)

    @extend_schema(summary="Set the root cause", request=s.RootCauseInputSerializer)
    @action(detail=True, methods=["post"], url_path="root-cause")
    def root_cause(self, request, *args, **kwargs):
        report = self.get_object()
        data = self.parse(s.RootCauseInputSerializer).validated_data
        root_causes.root_cause_set(report=report, actor=request.user, **data)
        return self._detail(report)
