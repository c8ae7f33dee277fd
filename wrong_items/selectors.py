"""Reads of wrong-item reports for the workspace, the API and the portal."""

from django.db.models import QuerySet

from tickets.models import Case
from tickets.selectors.access import AnyUser
from tickets.selectors.cases import case_list
from wrong_items.models import WrongItemReport


def report_list(*, user: AnyUser) -> QuerySet[WrongItemReport]:
    """The reports of the cases `user` sees, newest first, with what the API shows."""
    return (
        WrongItemReport.objects.filter(case__in=case_list(user=user).values("pk"))
        .select_related("case", "order", "order_line", "root_cause")
        .prefetch_related("discount_codes")
    )


def report_for_agent(*, pk: int, user: AnyUser) -> WrongItemReport | None:
    return report_list(user=user).filter(pk=pk).first()


def report_of_case(*, case: Case) -> WrongItemReport | None:
    """The report of `case`, with its order, item and root cause, and `case` itself as its
    case: joining the case again cost PostgreSQL more to plan than the report to read. Read
    with get(): a case has at most one report, and first() sorted it, whose compiling cost a
    fifth of this read."""
    try:
        report = WrongItemReport.objects.select_related("order", "order_line", "root_cause").get(
            case=case
        )
    except WrongItemReport.DoesNotExist:
        return None
    report.case = case
    return report
