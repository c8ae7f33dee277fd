"""The supervisors' reports: case volume, response and resolution times, SLA compliance and
satisfaction, by kind, for the cases created in a date range.

Built for a million cases over years: each report is one query bounded by the range on
`created_at` (index case_created) and grouped in the database, by day in the current time
zone where it goes by day. Percentiles are PostgreSQL's percentile_cont; other databases (the
small embedded SQLite) read at most PERCENTILE_FALLBACK_ROWS rows and interpolate the same way
in Python."""

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.db import connections
from django.db.models import Aggregate, Count, DateField, F, FloatField, Func, Q, QuerySet
from django.db.models.functions import TruncDate, TruncWeek
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Case
from tickets.report_tables import ReportRow, ReportTable, Series, Text
from tickets.scenarios import scenario_reports

from .access import AnyUser, case_visible_to

# The SQLite fallback reads the cases' times into Python: a bound, so that a long range on a big
# SQLite file stays a bounded read (the embedded database holds demo-sized data; PostgreSQL
# computes percentiles in the database and reads no rows).
PERCENTILE_FALLBACK_ROWS = 50_000
# The longest range the page accepts: a year and a leap day.
MAX_RANGE_DAYS = 366

PERCENTILES = (("median", 0.5), ("p90", 0.9))


@dataclass(frozen=True)
class DateRange:
    """The days `first` to `last`, both included, in `tz`."""

    first: date
    last: date
    tz: tzinfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=self.tz)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class ReportResult:
    slug: str
    title: Text
    description: Text
    table: ReportTable


def _kind_series() -> tuple[Series, ...]:
    return tuple(Series(value, label) for value, label in Case.Kind.choices)


def _cases(*, user: AnyUser, period: DateRange) -> QuerySet[Case]:
    return Case.objects.filter(
        case_visible_to(user), created_at__gte=period.start, created_at__lt=period.end
    ).order_by()


# --- case volume ----------------------------------------------------------------------------


def report_volume(*, user: AnyUser, period: DateRange) -> ReportTable:
    """Cases created per day (in the range's time zone), by kind. One query."""
    counts = (
        _cases(user=user, period=period)
        .annotate(day=TruncDate("created_at", tzinfo=period.tz))
        .values_list("day", "kind")
        .annotate(n=Count("pk"))
    )
    by_day: dict[date, dict[str, int]] = defaultdict(dict)
    for day, kind, n in counts:
        by_day[day][kind] = n
    kinds = Case.Kind.values
    rows = tuple(
        ReportRow(day, formats.date_format(day, "SHORT_DATE_FORMAT"), _per_kind(by_day[day], kinds))
        for day in period.days()
    )
    totals = tuple(sum(row.values[i] or 0 for row in rows) for i in range(len(kinds)))
    return ReportTable(
        x_key="day",
        x_label=_("Day"),
        unit=_("cases"),
        series=_kind_series(),
        rows=rows,
        chart="line",
        notes=(ReportRow("total", _("Total"), totals),),
    )


def _per_kind(values: dict[str, int], kinds: Sequence[str]) -> tuple[int, ...]:
    return tuple(values.get(kind, 0) for kind in kinds)


# --- first response and resolution times ----------------------------------------------------


class _PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression); NULLs are
    left out."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def _hours_between(end: str, start: str) -> Func:
    return Func(
        F(end),
        F(start),
        template="EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0",
        arg_joiner=" - ",
        output_field=FloatField(),
    )


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The `fraction` percentile of `values` by linear interpolation between the closest ranks,
    as PostgreSQL's percentile_cont computes it; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


MEASURES = (
    ("first_response", "first_responded_at", _("First response")),
    ("resolution", "resolved_at", _("Resolution")),
)


def _time_percentiles(cases: QuerySet[Case]) -> dict[tuple[str, str], float | None]:
    """{(kind, "<measure>_<percentile>"): hours}: one query."""
    if connections[cases.db].vendor == "postgresql":
        aggregates = {
            f"{measure}_{name}": _PercentileCont(
                _hours_between(field, "created_at"), fraction=fraction
            )
            for measure, field, _label in MEASURES
            for name, fraction in PERCENTILES
        }
        found: Iterable[Mapping[str, Any]] = cases.values("kind").annotate(**aggregates)
        return {(row["kind"], key): row[key] for row in found for key in aggregates}
    hours: dict[tuple[str, str], list[float]] = defaultdict(list)
    fields = [field for _measure, field, _label in MEASURES]
    rows = cases.values_list("kind", "created_at", *fields)[:PERCENTILE_FALLBACK_ROWS]
    for kind, created_at, *ends in rows:
        for (measure, _field, _label), end in zip(MEASURES, ends, strict=True):
            if end is not None:
                hours[kind, measure].append((end - created_at).total_seconds() / 3600)
    return {
        (kind, f"{measure}_{name}"): percentile(hours[kind, measure], fraction)
        for kind in Case.Kind.values
        for measure, _field, _label in MEASURES
        for name, fraction in PERCENTILES
    }


def report_response_times(*, user: AnyUser, period: DateRange) -> ReportTable:
    """Hours from a case's creation to its first response and to its resolution: median and
    90th percentile by kind, of the cases created in the range that got there. One query."""
    found = _time_percentiles(_cases(user=user, period=period))
    labels = {"median": _("median"), "p90": _("90th percentile")}
    rows = []
    for measure, _field, measure_label in MEASURES:
        for name, _fraction in PERCENTILES:
            key = f"{measure}_{name}"
            values = tuple(_rounded(found.get((kind, key))) for kind in Case.Kind.values)
            rows.append(ReportRow(key, f"{measure_label}, {labels[name]}", values))
    return ReportTable(
        x_key="measure",
        x_label=_("Measure"),
        unit=_("hours"),
        series=_kind_series(),
        rows=tuple(rows),
    )


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


# --- SLA compliance -------------------------------------------------------------------------


def _sla_counts(now: datetime) -> dict[str, Count]:
    """Per target: how many cases met it (done by the due time) and how many missed it (done
    late, or not done and past due, unless its clock was paused before the due time: waiting
    on the customer or the carrier); cases without a due time and targets still running or
    paused count in neither."""
    aggregates = {}
    for measure, field, _label in MEASURES:
        due = f"{measure}_due"
        has_due = Q(**{f"{due}__isnull": False})
        overdue = Q(**{f"{field}__isnull": True, f"{due}__lt": now}) & (
            Q(sla_paused_at__isnull=True) | Q(sla_paused_at__gte=F(due))
        )
        aggregates[f"{measure}_met"] = Count("pk", filter=has_due & Q(**{f"{field}__lte": F(due)}))
        aggregates[f"{measure}_missed"] = Count(
            "pk", filter=has_due & (Q(**{f"{field}__gt": F(due)}) | overdue)
        )
    return aggregates


def _share_met(counts: Mapping[str, Any], measure: str) -> tuple[float | None, int]:
    """(per cent met or None, how many were decided) of `measure` in `counts`."""
    met, missed = counts.get(f"{measure}_met", 0), counts.get(f"{measure}_missed", 0)
    return (_rounded(100 * met / (met + missed)) if met + missed else None), met + missed


def report_sla(*, user: AnyUser, period: DateRange, now: datetime | None = None) -> ReportTable:
    """The share of cases (created in the range) whose first response and whose resolution
    met their due time, by kind, in per cent (see _sla_counts). One query."""
    counts: dict[str, Mapping[str, Any]] = {
        row["kind"]: row
        for row in _cases(user=user, period=period)
        .values("kind")
        .annotate(**_sla_counts(now or timezone.now()))
    }
    rows, decided = [], []
    for measure, _field, label in MEASURES:
        results = [_share_met(counts.get(kind, {}), measure) for kind in Case.Kind.values]
        rows.append(ReportRow(measure, label, tuple(share for share, _n in results)))
        decided.append(
            ReportRow(
                f"{measure}_cases",
                _("%(target)s: cases") % {"target": label},
                tuple(n for _share, n in results),
            )
        )
    return ReportTable(
        x_key="target",
        x_label=_("Target"),
        unit="%",
        series=_kind_series(),
        rows=tuple(rows),
        notes=tuple(decided),
    )


def report_sla_weekly(
    *, user: AnyUser, period: DateRange, now: datetime | None = None
) -> ReportTable:
    """SLA compliance (as report_sla) of all kinds together, by the week (from Monday, in the
    range's time zone) the cases were created in. One query."""
    counts: dict[date, Mapping[str, Any]] = {
        row["week"]: row
        for row in _cases(user=user, period=period)
        .annotate(week=TruncWeek("created_at", tzinfo=period.tz, output_field=DateField()))
        .values("week")
        .annotate(**_sla_counts(now or timezone.now()))
    }
    monday = period.first - timedelta(days=period.first.weekday())
    weeks = [monday + timedelta(weeks=n) for n in range((period.last - monday).days // 7 + 1)]
    rows = tuple(
        ReportRow(
            week,
            formats.date_format(week, "SHORT_DATE_FORMAT"),
            tuple(_share_met(counts.get(week, {}), measure)[0] for measure, *_rest in MEASURES),
        )
        for week in weeks
    )
    return ReportTable(
        x_key="week",
        x_label=_("Week from"),
        unit="%",
        series=tuple(Series(measure, label) for measure, _field, label in MEASURES),
        rows=rows,
        chart="line",
    )


# --- satisfaction ---------------------------------------------------------------------------


RATINGS = (1, 2, 3, 4, 5)


def report_satisfaction(*, user: AnyUser, period: DateRange) -> ReportTable:
    """How the customers rated the cases created in the range (1 to 5), counted by kind, with
    the average per kind. One query."""
    counts = (
        _cases(user=user, period=period)
        .filter(satisfaction__isnull=False)
        .values_list("satisfaction", "kind")
        .annotate(n=Count("pk"))
    )
    by_rating: dict[int, dict[str, int]] = defaultdict(dict)
    for rating, kind, n in counts:
        by_rating[rating][kind] = n
    kinds = Case.Kind.values
    rows = tuple(
        ReportRow(rating, str(rating), _per_kind(by_rating[rating], kinds)) for rating in RATINGS
    )
    averages = []
    for index in range(len(kinds)):
        rated = sum(row.values[index] or 0 for row in rows)
        total = sum(
            rating * (row.values[index] or 0) for rating, row in zip(RATINGS, rows, strict=True)
        )
        averages.append(round(total / rated, 2) if rated else None)
    return ReportTable(
        x_key="rating",
        x_label=_("Rating (1 to 5)"),
        unit=_("cases"),
        series=_kind_series(),
        rows=rows,
        notes=(
            ReportRow("average", _("Average rating"), tuple(averages)),
            ReportRow(
                "rated",
                _("Rated cases"),
                tuple(sum(row.values[i] or 0 for row in rows) for i in range(len(kinds))),
            ),
        ),
    )


# --- all reports ----------------------------------------------------------------------------

Builder = Callable[..., ReportTable]
BUILT_IN: dict[str, tuple[Text, Text, Builder]] = {
    "volume": (
        _("Case volume"),
        _("New cases per day, by kind."),
        report_volume,
    ),
    "response-times": (
        _("Response and resolution times"),
        _("Hours from a new case to the first response and to the resolution."),
        report_response_times,
    ),
    "sla": (
        _("SLA compliance"),
        _("Share of decided targets met in time."),
        report_sla,
    ),
    "sla-weekly": (
        _("SLA compliance by week"),
        _("Share of decided targets met in time, all kinds."),
        report_sla_weekly,
    ),
    "satisfaction": (
        _("Satisfaction"),
        _("Customer ratings, 1 (poor) to 5 (great)."),
        report_satisfaction,
    ),
}


def report_slugs() -> list[str]:
    return [*BUILT_IN, *(report.slug for report in scenario_reports())]


def report_get(*, user: AnyUser, slug: str, period: DateRange) -> ReportResult | None:
    """The report `slug` (built in, or a scenario's) for `period`, or None for no such report."""
    if slug in BUILT_IN:
        title, description, build = BUILT_IN[slug]
        return ReportResult(slug, title, description, build(user=user, period=period))
    for report in scenario_reports():
        if report.slug == slug:
            return ReportResult(slug, report.title, "", report.rows(period.first, period.last))
    return None


def report_list(*, user: AnyUser, period: DateRange) -> list[ReportResult]:
    """Every report for `period`: the built-in ones (one query each), then each scenario's."""
    reports = [report_get(user=user, slug=slug, period=period) for slug in report_slugs()]
    return [report for report in reports if report is not None]


def report_csv_rows(table: ReportTable) -> Iterable[list[str]]:
    """The table as CSV rows: a header of keys, one row per x value, then the notes."""
    yield [table.x_key, *(series.key for series in table.series)]
    for row in (*table.rows, *table.notes):
        x = row.x.isoformat() if isinstance(row.x, date) else str(row.x)
        yield [x, *("" if value is None else str(value) for value in row.values)]
