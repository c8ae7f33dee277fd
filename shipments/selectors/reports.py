"""The carrier reports on the supervisors' reports page: delay rate, loss rate and median transit
time by carrier and by route (origin → destination country), and insurance claims filed and
recovered.

The shipments of a report are those shipped to customers (outbound and replacements) within the
range, both days included, in the current time zone; the claims those filed within it. Each
report is one query bounded by the range and grouped in the database; the median transit time
is PostgreSQL's percentile_cont, and on other databases (the small embedded SQLite) it is
computed in Python from at most PERCENTILE_FALLBACK_ROWS rows, interpolated the same way."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connections
from django.db.models import Aggregate, Count, F, FloatField, Func, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shipments.models import FINAL_STATUSES, InsuranceClaim, Shipment, ShipmentStatus
from tickets.report_tables import ReportRow, ReportTable, Series
from tickets.selectors.reports import PERCENTILE_FALLBACK_ROWS, DateRange, percentile

# A chart stays readable with this many bars' groups: the groups with the most shipments.
MAX_GROUPS = 15
SECONDS_PER_DAY = 86_400.0

TO_CUSTOMERS = (Shipment.Direction.OUTBOUND, Shipment.Direction.REPLACEMENT)


@dataclass(frozen=True)
class Grouping:
    """How a report groups shipments: the fields, and the row label of one group's values."""

    key: str
    label: Any
    fields: tuple[str, ...]
    name: Callable[[tuple[Any, ...]], str]


def _route(values: tuple[Any, ...]) -> str:
    origin, destination = values
    return f"{origin or '?'} → {destination or '?'}"


BY_CARRIER = Grouping("carrier", _("Carrier"), ("carrier__code", "carrier__name"), lambda v: v[1])
BY_ROUTE = Grouping("route", _("Route"), ("origin_country", "destination_country"), _route)


def _period(first: date, last: date) -> DateRange:
    return DateRange(first, last, timezone.get_current_timezone())


def shipments_shipped(first: date, last: date) -> QuerySet[Shipment]:
    """Shipments to customers shipped from `first` to `last` (both included, current zone)."""
    period = _period(first, last)
    return Shipment.objects.filter(
        direction__in=TO_CUSTOMERS, shipped_at__gte=period.start, shipped_at__lt=period.end
    ).order_by()


def _lost() -> Q:
    return Q(status=ShipmentStatus.LOST) | Q(declared_lost_at__isnull=False)


def _delayed(today: date) -> Q:
    """Delivered after the promised date, or not delivered (nor lost or cancelled) and past it:
    a lost parcel counts as lost, not late."""
    late_delivery = Q(
        delivered_at__isnull=False, delivered_at__date__gt=F("promised_delivery_date")
    )
    overdue = Q(
        delivered_at__isnull=True,
        promised_delivery_date__lt=today,
        status__in=[s for s in ShipmentStatus.values if s not in FINAL_STATUSES],
    )
    return Q(promised_delivery_date__isnull=False) & (late_delivery | overdue) & ~_lost()


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def shipment_rates(first: date, last: date, grouping: Grouping) -> ReportTable:
    """Per group (the MAX_GROUPS with the most shipments): the share of shipments with a promised
    date that came late, and the share of shipments lost, in per cent. One query."""
    today = timezone.localdate()
    groups = (
        shipments_shipped(first, last)
        .values_list(*grouping.fields)
        .annotate(
            n=Count("pk"),
            promised=Count("pk", filter=Q(promised_delivery_date__isnull=False)),
            delayed=Count("pk", filter=_delayed(today)),
            lost=Count("pk", filter=_lost()),
        )
        .order_by("-n", *grouping.fields)[:MAX_GROUPS]
    )
    rows, counts = [], []
    for *values, n, promised, delayed, lost in groups:
        key = "/".join(str(value) for value in values)
        name = grouping.name(tuple(values))
        rows.append(ReportRow(key, name, (_share(delayed, promised), _share(lost, n))))
        counts.append((n, delayed, lost))
    return ReportTable(
        x_key=grouping.key,
        x_label=grouping.label,
        unit="%",
        series=(Series("delay_rate", _("Delay rate")), Series("loss_rate", _("Loss rate"))),
        rows=tuple(rows),
        notes=(
            ReportRow("shipments", _("Shipments"), (sum(c[0] for c in counts), None)),
            ReportRow(
                "delayed_lost",
                _("Delayed, lost"),
                (sum(c[1] for c in counts), sum(c[2] for c in counts)),
            ),
        ),
    )


class _PercentileCont(Aggregate):
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: Any, *, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=float(fraction), **extra)


def _transit_days() -> Func:
    return Func(
        F("delivered_at"),
        F("shipped_at"),
        template=f"EXTRACT(EPOCH FROM (%(expressions)s)) / {SECONDS_PER_DAY}",
        arg_joiner=" - ",
        output_field=FloatField(),
    )


def _transit_percentiles(
    delivered: QuerySet[Shipment], grouping: Grouping
) -> list[tuple[tuple[Any, ...], int, float | None, float | None]]:
    """[(group values, delivered, median days, 90th percentile days)]: one query."""
    if connections[delivered.db].vendor == "postgresql":
        found: Iterable[Mapping[str, Any]] = delivered.values(*grouping.fields).annotate(
            n=Count("pk"),
            median=_PercentileCont(_transit_days(), fraction=0.5),
            p90=_PercentileCont(_transit_days(), fraction=0.9),
        )
        return [
            (tuple(row[f] for f in grouping.fields), row["n"], row["median"], row["p90"])
            for row in found
        ]
    days: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    rows = delivered.values_list("shipped_at", "delivered_at", *grouping.fields)
    for shipped_at, delivered_at, *values in rows[:PERCENTILE_FALLBACK_ROWS]:
        days[tuple(values)].append((delivered_at - shipped_at).total_seconds() / SECONDS_PER_DAY)
    return [
        (values, len(found_days), percentile(found_days, 0.5), percentile(found_days, 0.9))
        for values, found_days in days.items()
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def shipment_transit(first: date, last: date, grouping: Grouping) -> ReportTable:
    """Days from shipping to delivery of the shipments delivered (shipped in the range), median
    and 90th percentile, per group (the MAX_GROUPS with the most deliveries). One query."""
    delivered = shipments_shipped(first, last).filter(delivered_at__isnull=False)
    found = sorted(
        _transit_percentiles(delivered, grouping),
        key=lambda row: (-row[1], [str(v) for v in row[0]]),
    )[:MAX_GROUPS]
    return ReportTable(
        x_key=grouping.key,
        x_label=grouping.label,
        unit=_("days"),
        series=(Series("median", _("median")), Series("p90", _("90th percentile"))),
        rows=tuple(
            ReportRow(
                "/".join(str(v) for v in values),
                grouping.name(values),
                (_rounded(median), _rounded(p90)),
            )
            for values, _n, median, p90 in found
        ),
        notes=(ReportRow("delivered", _("Delivered shipments"), (sum(r[1] for r in found), None)),),
    )


def claims_recovered(first: date, last: date) -> ReportTable:
    """Insurance claims filed in the range, per currency: amounts requested, approved (approved,
    partially approved or paid) and paid out (recovered), with how many were filed and paid.
    One query."""
    period = _period(first, last)
    decided = [
        InsuranceClaim.Status.APPROVED,
        InsuranceClaim.Status.PARTIALLY_APPROVED,
        InsuranceClaim.Status.PAID,
    ]
    paid = Q(status=InsuranceClaim.Status.PAID)
    groups = (
        InsuranceClaim.objects.filter(filed_at__gte=period.start, filed_at__lt=period.end)
        .values_list("currency")
        .annotate(
            n=Count("pk"),
            n_paid=Count("pk", filter=paid),
            requested=Sum("amount_requested"),
            approved=Sum("amount_approved", filter=Q(status__in=decided)),
            recovered=Sum("amount_approved", filter=paid),
        )
        .order_by("currency")
    )
    rows, filed, recovered = [], [], []
    for currency, n, n_paid, requested, approved, paid_out in groups:
        values = tuple(float(v) if v is not None else 0.0 for v in (requested, approved, paid_out))
        rows.append(ReportRow(currency, currency, values))
        filed.append(n)
        recovered.append(n_paid)
    return ReportTable(
        x_key="currency",
        x_label=_("Currency"),
        unit=_("amount"),
        series=(
            Series("requested", _("Requested")),
            Series("approved", _("Approved")),
            Series("recovered", _("Recovered")),
        ),
        rows=tuple(rows),
        notes=(ReportRow("claims", _("Claims filed, paid"), (sum(filed), None, sum(recovered))),),
    )


def report_rates_by_carrier(first: date, last: date) -> ReportTable:
    return shipment_rates(first, last, BY_CARRIER)


def report_rates_by_route(first: date, last: date) -> ReportTable:
    return shipment_rates(first, last, BY_ROUTE)


def report_transit_by_carrier(first: date, last: date) -> ReportTable:
    return shipment_transit(first, last, BY_CARRIER)


def report_transit_by_route(first: date, last: date) -> ReportTable:
    return shipment_transit(first, last, BY_ROUTE)
