"""The wrong-item reports on the supervisors' reports page: the wrong-item rate over shipped
orders by week, root causes over time, the most confused SKU pairs, wrong items by warehouse,
the cost of each incident, and preventive actions open and done.

Each is bounded by the date range (both days included, in the current time zone) and grouped
in the database; a week is labelled by its Monday."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import TruncWeek
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from shipments.models import Shipment
from tickets.models import Compensation
from tickets.report_tables import ReportRow, ReportTable, Series
from tickets.selectors.reports import DateRange
from wrong_items.models import PreventiveAction, RootCause, WrongItemReport

# A chart stays readable with this many bars' groups: the groups with the most incidents.
MAX_GROUPS = 15
COST_KINDS = (
    (Compensation.Kind.REPLACEMENT, _("Reshipment")),
    (Compensation.Kind.DISCOUNT_CODE, _("Discount")),
    (Compensation.Kind.REFUND, _("Refund")),
)


def _period(first: date, last: date) -> DateRange:
    return DateRange(first, last, timezone.get_current_timezone())


def _week(value: date) -> date:
    return value - timedelta(days=value.weekday())


def _weeks(first: date, last: date) -> list[date]:
    weeks, week = [], _week(first)
    while week <= last:
        weeks.append(week)
        week += timedelta(days=7)
    return weeks


def _as_date(value: object) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value  # type: ignore[return-value]


def _label(week: date) -> str:
    return formats.date_format(week, "SHORT_DATE_FORMAT")


def report_rate_by_week(first: date, last: date) -> ReportTable:
    """Per week: wrong-item reports per 100 orders shipped that week (one query, a UNION of
    the orders shipped and the reports made, each counted by week)."""
    period = _period(first, last)
    tz = timezone.get_current_timezone()
    shipped_rows = (
        Shipment.objects.filter(
            direction=Shipment.Direction.OUTBOUND,
            shipped_at__gte=period.start,
            shipped_at__lt=period.end,
        )
        .annotate(week=TruncWeek("shipped_at", tzinfo=tz), source=Value("shipped"))
        .values("source", "week")
        .annotate(n=Count("order_id", distinct=True))
        .order_by()
        .values_list("source", "week", "n")
    )
    report_rows = (
        WrongItemReport.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
        .annotate(week=TruncWeek("created_at", tzinfo=tz), source=Value("wrong"))
        .values("source", "week")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("source", "week", "n")
    )
    shipped: dict[date, int] = {}
    wrong: dict[date, int] = {}
    for source, week, n in shipped_rows.union(report_rows, all=True):
        (shipped if source == "shipped" else wrong)[_as_date(week)] = n
    shipped_by, wrong_by = shipped, wrong
    rows = []
    for week in _weeks(first, last):
        orders, reports = shipped_by.get(week, 0), wrong_by.get(week, 0)
        rate = round(100 * reports / orders, 2) if orders else None
        rows.append(ReportRow(week, _label(week), (rate,)))
    total_orders, total_reports = sum(shipped_by.values()), sum(wrong_by.values())
    return ReportTable(
        x_key="week",
        x_label=_("Week"),
        unit=_("percent of shipped orders"),
        series=(Series("rate", _("Wrong-item rate")),),
        rows=tuple(rows),
        chart="line",
        notes=(
            ReportRow("orders", _("Orders shipped"), (total_orders,)),
            ReportRow("reports", _("Wrong-item reports"), (total_reports,)),
        ),
    )


def _causes(first: date, last: date):  # type: ignore[no-untyped-def]
    period = _period(first, last)
    return RootCause.objects.filter(set_at__gte=period.start, set_at__lt=period.end).order_by()


def report_root_causes(first: date, last: date) -> ReportTable:
    """Per week: root causes recorded, one series per category (one query)."""
    tz = timezone.get_current_timezone()
    counts: dict[date, dict[str, int]] = defaultdict(dict)
    for week, category, n in (
        _causes(first, last)
        .annotate(week=TruncWeek("set_at", tzinfo=tz))
        .values_list("week", "category")
        .annotate(n=Count("pk"))
        .values_list("week", "category", "n")
    ):
        counts[_as_date(week)][category] = n
    categories = RootCause.Category.choices
    return ReportTable(
        x_key="week",
        x_label=_("Week"),
        unit=_("cases"),
        series=tuple(Series(value, label) for value, label in categories),
        rows=tuple(
            ReportRow(
                week, _label(week), tuple(counts[week].get(value, 0) for value, _l in categories)
            )
            for week in _weeks(first, last)
        ),
    )


def report_confused_pairs(first: date, last: date) -> ReportTable:
    """The SKU pairs (expected → received) confused most often (one query)."""
    pairs = (
        _causes(first, last)
        .exclude(received_sku="")
        .values_list("expected_sku", "received_sku")
        .annotate(n=Count("pk"))
        .order_by("-n", "expected_sku", "received_sku")[:MAX_GROUPS]
    )
    return ReportTable(
        x_key="pair",
        x_label=_("Expected → received SKU"),
        unit=_("cases"),
        series=(Series("cases", _("Cases")),),
        rows=tuple(
            ReportRow(f"{expected}>{received}", f"{expected} → {received}", (n,))
            for expected, received, n in pairs
        ),
    )


def report_by_warehouse(first: date, last: date) -> ReportTable:
    """Root causes per warehouse: all, and the warehouse's own (picking, packing, labelling)."""
    own = Q(
        category__in=(
            RootCause.Category.PICKING,
            RootCause.Category.PACKING,
            RootCause.Category.LABELLING,
        )
    )
    groups = (
        _causes(first, last)
        .values_list("warehouse")
        .annotate(n=Count("pk"), own=Count("pk", filter=own))
        .order_by("-n", "warehouse")[:MAX_GROUPS]
    )
    return ReportTable(
        x_key="warehouse",
        x_label=_("Warehouse"),
        unit=_("cases"),
        series=(Series("cases", _("Cases")), Series("warehouse_errors", _("Warehouse errors"))),
        rows=tuple(
            ReportRow(warehouse or "?", warehouse or "?", (n, own_n))
            for warehouse, n, own_n in groups
        ),
    )


def report_cost_per_incident(first: date, last: date) -> ReportTable:
    """What each wrong-item case reported in the range cost, in the base currency: its
    reshipment, discount and refund (not rejected or cancelled). One query."""
    period = _period(first, last)
    cost: dict[str, dict[str, float]] = defaultdict(dict)
    for number, kind, amount in (
        Compensation.objects.filter(
            case__wrong_item_report__created_at__gte=period.start,
            case__wrong_item_report__created_at__lt=period.end,
            kind__in=[kind for kind, _l in COST_KINDS],
        )
        .exclude(status__in=(Compensation.Status.REJECTED, Compensation.Status.CANCELLED))
        .values_list("case__number", "kind")
        .annotate(total=Sum("base_amount"))
        .order_by("case__number")
        .values_list("case__number", "kind", "total")
    ):
        cost[number][kind] = float(amount or 0)
    top = sorted(cost, key=lambda n: (-sum(cost[n].values()), n))[: MAX_GROUPS * 2]
    totals = [sum(cost[n].get(kind, 0.0) for n in cost) for kind, _l in COST_KINDS]
    count = len(cost)
    return ReportTable(
        x_key="case",
        x_label=_("Case"),
        unit=_("amount"),
        series=tuple(Series(kind, label) for kind, label in COST_KINDS),
        rows=tuple(
            ReportRow(n, n, tuple(cost[n].get(kind, 0.0) for kind, _l in COST_KINDS)) for n in top
        ),
        notes=(
            ReportRow(
                "average",
                _("Average per incident"),
                tuple(round(total / count, 2) if count else None for total in totals),
            ),
        ),
    )


def report_preventive_actions(first: date, last: date) -> ReportTable:
    """Preventive actions made in the range: open (and of those overdue) and done."""
    today = timezone.localdate()
    period = _period(first, last)
    counts = PreventiveAction.objects.filter(
        created_at__gte=period.start, created_at__lt=period.end
    ).aggregate(
        open=Count("pk", filter=Q(done=False)),
        overdue=Count("pk", filter=Q(done=False, due_date__lt=today)),
        done=Count("pk", filter=Q(done=True)),
    )
    return ReportTable(
        x_key="state",
        x_label=_("State"),
        unit=_("actions"),
        series=(Series("actions", _("Preventive actions")),),
        rows=(
            ReportRow("open", _("Open"), (counts["open"],)),
            ReportRow("overdue", _("Overdue"), (counts["overdue"],)),
            ReportRow("done", _("Done"), (counts["done"],)),
        ),
    )
