"""The returns reports on the supervisors' reports page: the return and defect rate of the SKUs
returned most, the reasons customers give, what inspection found, the time from receiving a
parcel to refunding it, and the restocking fees kept.

Each is bounded by the date range (both days included, in the current time zone), grouped in
the database and read with one query whatever the number of requests (the page's query count
is tested): built for a million cases. Units are items (a line's quantity), not lines."""

import math
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from returns.models import Condition, ReasonCode, ReturnLine, ReturnRequest
from tickets.models import OrderLine
from tickets.report_tables import ReportRow, ReportTable, Series
from tickets.selectors.reports import PERCENTILES, DateRange, percentile

# A chart stays readable with this many bars' groups: the SKUs with the most units returned.
MAX_GROUPS = 15
SECONDS_PER_HOUR = 3600.0

# What inspection found about a claimed defect (ReturnLine.defect_confirmed).
DEFECT_OUTCOMES = (
    ("defect_confirmed", Q(defect_confirmed=True), _("Defect confirmed")),
    ("defect_not_confirmed", Q(defect_confirmed=False), _("Defect not confirmed")),
    ("not_a_defect_claim", Q(defect_confirmed__isnull=True), _("Not a defect claim")),
)


def _period(first: date, last: date) -> DateRange:
    return DateRange(first, last, timezone.get_current_timezone())


def _in(field: str, period: DateRange) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _units(value: Any) -> int:
    """An aggregated sum of units (None where there was nothing to sum)."""
    return int(value or 0)


# --- return and defect rate by SKU ----------------------------------------------------------


def _sold(period: DateRange) -> QuerySet[OrderLine]:
    """Order lines of orders placed in the range that the shop still lists (a removed line was
    not sold)."""
    return OrderLine.objects.filter(
        _in("order__placed_at", period), removed_at__isnull=True
    ).order_by()


def _returned(period: DateRange) -> QuerySet[ReturnLine]:
    """Return lines of the lines sold in the range (whenever they came back), of requests not
    rejected: the same items in both terms of the rate."""
    return (
        ReturnLine.objects.filter(
            _in("order_line__order__placed_at", period), order_line__removed_at__isnull=True
        )
        .exclude(request__status=ReturnRequest.Status.REJECTED)
        .order_by()
    )


# A defect claim whose inspection found no defect is not a defective unit.
_DEFECTIVE = Q(request__kind=ReturnRequest.Kind.DEFECT) & ~Q(defect_confirmed=False)


def _sku_figures(period: DateRange) -> Iterable[tuple[str, str, int, int]]:
    """(source, SKU, units, defective units) in one query: a UNION of the units sold and
    returned of the MAX_GROUPS SKUs with the most units returned ("sold", "returned"), and of
    every SKU together ("sold_all", "returned_all", SKU "").

    Sold and returned units are summed apart: a join of order lines to their return lines
    would count a line sold once per return line."""
    returned = _returned(period)
    top = (
        returned.values("order_line__sku")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "order_line__sku")
        .values("order_line__sku")[:MAX_GROUPS]
    )
    zero = Value(0, output_field=IntegerField())
    arms: list[QuerySet[Any]] = [
        _sold(period)
        .filter(sku__in=top)
        .annotate(source=Value("sold"), key=F("sku"))
        .values("source", "key")
        .annotate(units=Sum("quantity"), defective=zero),
        returned.filter(order_line__sku__in=top)
        .annotate(source=Value("returned"), key=F("order_line__sku"))
        .values("source", "key")
        .annotate(units=Sum("quantity"), defective=Sum("quantity", filter=_DEFECTIVE)),
        # Grouped by constants only: one row each, even for an empty range (sums of None).
        _sold(period)
        .annotate(source=Value("sold_all"), key=Value(""))
        .values("source", "key")
        .annotate(units=Sum("quantity"), defective=zero),
        returned.annotate(source=Value("returned_all"), key=Value(""))
        .values("source", "key")
        .annotate(units=Sum("quantity"), defective=Sum("quantity", filter=_DEFECTIVE)),
    ]
    first, *others = (arm.values_list("source", "key", "units", "defective") for arm in arms)
    return first.union(*others, all=True)


def report_rates_by_sku(first: date, last: date) -> ReportTable:
    """For the SKUs with the most units returned (MAX_GROUPS) among those sold in the range
    (orders placed in it): the units returned and the units defective (of defect claims, less
    those whose inspection found no defect) as a share of the units sold, in per cent; the
    products to fix or delist. Rejected requests do not count. One query."""
    sold: dict[str, int] = {}
    returned: dict[str, tuple[int, int]] = {}
    totals: dict[str, tuple[int, int]] = {}
    for source, sku, units, defective in _sku_figures(_period(first, last)):
        if source == "sold":
            sold[sku] = _units(units)
        elif source == "returned":
            returned[sku] = (_units(units), _units(defective))
        else:
            totals[source] = (_units(units), _units(defective))
    ranked = sorted(returned, key=lambda sku: (-returned[sku][0], sku))
    sold_all = totals.get("sold_all", (0, 0))[0]
    returned_all, defective_all = totals.get("returned_all", (0, 0))
    return ReportTable(
        x_key="sku",
        x_label=_("SKU"),
        unit="%",
        series=(
            Series("return_rate", _("Return rate")),
            Series("defect_rate", _("Defect rate")),
        ),
        rows=tuple(
            ReportRow(
                sku,
                sku,
                (
                    _share(returned[sku][0], sold.get(sku, 0)),
                    _share(returned[sku][1], sold.get(sku, 0)),
                ),
            )
            for sku in ranked
        ),
        notes=(
            ReportRow(
                "all",
                _("All SKUs"),
                (_share(returned_all, sold_all), _share(defective_all, sold_all)),
            ),
            ReportRow("units_sold", _("Units sold"), (sold_all, None)),
            ReportRow(
                "units_returned", _("Units returned, defective"), (returned_all, defective_all)
            ),
        ),
    )


# --- reasons --------------------------------------------------------------------------------


def report_top_reasons(first: date, last: date) -> ReportTable:
    """The reasons customers gave for the units of the requests made in the range, the most
    given first (every request, rejected too: it is what the customers said). One query."""
    period = _period(first, last)
    counts = (
        ReturnLine.objects.filter(_in("request__created_at", period))
        .values_list("reason_code")
        .annotate(units=Sum("quantity"))
        .order_by("-units", "reason_code")
        .values_list("reason_code", "units")
    )
    labels = dict(ReasonCode.choices)
    rows = tuple(
        ReportRow(code, labels.get(code, code), (_units(units),)) for code, units in counts
    )
    return ReportTable(
        x_key="reason",
        x_label=_("Reason"),
        unit=_("units"),
        series=(Series("units", _("Units")),),
        rows=rows,
        notes=(ReportRow("total", _("Total"), (sum(row.values[0] or 0 for row in rows),)),),
    )


# --- inspection outcomes --------------------------------------------------------------------


def report_inspection_outcomes(first: date, last: date) -> ReportTable:
    """The units of the requests inspected in the range: whether inspection confirmed the
    claimed defect (or there was no defect claimed), and the condition grades A to D they
    were given. One query."""
    period = _period(first, last)
    # Named apart from the fields ("defect_confirmed" is one): an aggregate may not shadow one.
    aggregates = {
        f"units_{key}": Sum("quantity", filter=found) for key, found, _label in DEFECT_OUTCOMES
    } | {f"units_grade_{grade}": Sum("quantity", filter=Q(condition=grade)) for grade in Condition}
    counts = ReturnLine.objects.filter(_in("request__inspected_at", period)).aggregate(**aggregates)
    rows = [
        ReportRow(key, label, (_units(counts[f"units_{key}"]),))
        for key, _found, label in DEFECT_OUTCOMES
    ]
    rows += [
        ReportRow(f"grade_{grade}", grade.label, (_units(counts[f"units_grade_{grade}"]),))
        for grade in Condition
    ]
    return ReportTable(
        x_key="outcome",
        x_label=_("Inspection outcome"),
        unit=_("units"),
        series=(Series("units", _("Units")),),
        rows=tuple(rows),
    )


# --- time to refund -------------------------------------------------------------------------


def _refund_durations(period: DateRange) -> tuple[int, dict[int, timedelta]]:
    """(N, {place: duration}): how many requests were refunded in the range after their parcel
    was received, and the times from receipt to refund at the places (1 = the shortest) around
    each percentile of PERCENTILES (a few rows, never the range's). One query.

    The requests are numbered in order of their time in the database (a window function, on
    PostgreSQL and SQLite alike) and only the rows at those places are read, not the range."""
    refunds = ReturnRequest.objects.filter(
        _in("refunded_at", period), received_at__isnull=False, received_at__lte=F("refunded_at")
    ).order_by()
    numbered = refunds.annotate(
        duration=ExpressionWrapper(
            F("refunded_at") - F("received_at"), output_field=DurationField()
        )
    ).annotate(
        place=Window(RowNumber(), order_by=(F("duration").asc(), F("pk").asc())),
        total=Window(Count("pk")),
    )
    # percentile_cont interpolates between the places just below and just above
    # f × (N − 1) + 1. The database may compute that in decimals (PostgreSQL) where Python
    # uses binary floats, so read the places up to one and a half away: the two needed are
    # among them whatever the rounding (at most three rows a percentile).
    wanted = Q()
    for _name, fraction in PERCENTILES:
        position = (F("total") - 1) * fraction + 1
        wanted |= Q(place__gt=position - 1.5, place__lt=position + 1.5)
    found = list(numbered.filter(wanted).values_list("place", "total", "duration"))
    total = found[0][1] if found else 0
    return total, {place: duration for place, _total, duration in found}


def _interpolated(total: int, durations: dict[int, timedelta], fraction: float) -> float | None:
    """The `fraction` percentile in hours, interpolated between the closest places as
    PostgreSQL's percentile_cont (and tickets.selectors.reports.percentile) does."""
    if not total:
        return None
    position = fraction * (total - 1)
    low, high = math.floor(position), math.ceil(position)
    hours = [durations[place + 1].total_seconds() / SECONDS_PER_HOUR for place in (low, high)]
    return percentile(hours, position - low)


def report_time_to_refund(first: date, last: date) -> ReportTable:
    """Hours from receiving a return parcel to refunding its money, of the requests refunded
    in the range: median and 90th percentile, and how many. A refund released before the
    parcel arrived (on approval or in transit, as the policy allows) has no time from receipt
    and is left out. One query."""
    total, durations = _refund_durations(_period(first, last))
    labels = {"median": _("median"), "p90": _("90th percentile")}
    rows = []
    for name, fraction in PERCENTILES:
        hours = _interpolated(total, durations, fraction)
        rows.append(ReportRow(name, labels[name], (None if hours is None else round(hours, 1),)))
    return ReportTable(
        x_key="measure",
        x_label=_("Measure"),
        unit=_("hours"),
        series=(Series("hours", _("Time to refund")),),
        rows=tuple(rows),
        notes=(ReportRow("refunds", _("Refunds"), (total,)),),
    )


# --- restocking fees ------------------------------------------------------------------------


def report_restocking_recovered(first: date, last: date) -> ReportTable:
    """The restocking fees kept from the refunds of the requests inspected in the range, per
    currency (the order's), with the number of returns that kept one. One query."""
    period = _period(first, last)
    groups = (
        ReturnRequest.objects.filter(_in("inspected_at", period), restocking_fee__gt=0)
        .values_list("order__currency")
        .annotate(n=Count("pk"), amount=Sum("restocking_fee"))
        .order_by("order__currency")
        .values_list("order__currency", "n", "amount")
    )
    rows, counts = [], []
    for currency, n, amount in groups:
        rows.append(ReportRow(currency, currency, (float(amount or Decimal(0)),)))
        counts.append(
            ReportRow(
                f"returns_{currency}",
                _("Returns with a fee kept, %(currency)s") % {"currency": currency},
                (n,),
            )
        )
    return ReportTable(
        x_key="currency",
        x_label=_("Currency"),
        unit=_("amount"),
        series=(Series("restocking_fees", _("Restocking fees kept")),),
        rows=tuple(rows),
        notes=tuple(counts),
    )
