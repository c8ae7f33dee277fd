"""Transit times against the promised lead time, per carrier and per route, for the carrier
reports: one aggregate query each. PostgreSQL computes the medians (percentile_cont); SQLite
has no percentile function, so the same query collects each group's transit times with
group_concat and the median is taken in Python."""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Q, TextField
from django.db.models.functions import TruncDate
from django.utils import timezone

from shipments.models import Shipment, ShipmentStatus

S = ShipmentStatus


class TransitDays(Func):
    """Days from shipped to delivered, as a float."""

    output_field = FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
            **extra,
        )  # fmt: skip

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )  # fmt: skip


class LeadDays(Func):
    """Days from the shipping date to the promised delivery date."""

    output_field = FloatField()

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )  # fmt: skip


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class Concat(Aggregate):
    function = "GROUP_CONCAT"
    output_field = TextField()


@dataclass(frozen=True)
class TransitRow:
    """One group: shipments shipped in the period, how many were delivered, late (delivered
    after the promised date, or past it and not delivered), lost, and the median days in
    transit (delivered ones) and promised (those with a promised date)."""

    key: dict[str, str]
    shipments: int
    delivered: int
    late: int
    lost: int
    median_transit_days: float | None
    median_promised_days: float | None


def _median(values: Any) -> float | None:
    if not values:
        return None
    numbers = [float(value) for value in str(values).split(",") if value]
    return statistics.median(numbers) if numbers else None


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def _transit(first: date, last: date, group: tuple[str, ...]) -> list[TransitRow]:
    start, end = _bounds(first, last)
    today = timezone.localdate()
    delivered = Q(status=S.DELIVERED, delivered_at__isnull=False)
    transit = TransitDays(F("delivered_at"), F("shipped_at"))
    lead = LeadDays(F("promised_delivery_date"), TruncDate("shipped_at"))
    promised = Q(promised_delivery_date__isnull=False)
    late = (delivered & promised & Q(delivered_on__gt=F("promised_delivery_date"))) | (
        ~Q(status__in=[S.DELIVERED, S.LOST, S.CANCELLED]) & Q(promised_delivery_date__lt=today)
    )
    if connection.vendor == "postgresql":
        medians: dict[str, Any] = {
            "transit": Median(transit, filter=delivered),
            "lead": Median(lead, filter=promised),
        }
    else:
        medians = {
            "transit": Concat(transit, filter=delivered),
            "lead": Concat(lead, filter=promised),
        }
    rows = (
        Shipment.objects.filter(shipped_at__gte=start, shipped_at__lt=end)
        .exclude(direction=Shipment.Direction.RETURN)
        .alias(delivered_on=TruncDate("delivered_at"))
        .values(*group)
        .annotate(
            n=Count("pk"),
            n_delivered=Count("pk", filter=delivered),
            n_late=Count("pk", filter=late),
            n_lost=Count("pk", filter=Q(status=S.LOST) | Q(declared_lost_at__isnull=False)),
            **medians,
        )
        .order_by(*group)
    )
    result = []
    for row in rows:
        if connection.vendor == "postgresql":
            transit_days, lead_days = row["transit"], row["lead"]
        else:
            transit_days, lead_days = _median(row["transit"]), _median(row["lead"])
        result.append(
            TransitRow(
                key={name: str(row[name]) for name in group},
                shipments=row["n"],
                delivered=row["n_delivered"],
                late=row["n_late"],
                lost=row["n_lost"],
                median_transit_days=None if transit_days is None else round(transit_days, 2),
                median_promised_days=None if lead_days is None else round(lead_days, 2),
            )
        )
    return result


def transit_by_carrier(first: date, last: date) -> list[TransitRow]:
    """Per carrier (key: carrier code and name), shipments shipped from `first` to `last`."""
    return _transit(first, last, ("carrier__code", "carrier__name"))


def transit_by_route(first: date, last: date) -> list[TransitRow]:
    """Per route (key: origin and destination country)."""
    return _transit(first, last, ("origin_country", "destination_country"))


def transit_by_carrier_and_destination(first: date, last: date) -> list[TransitRow]:
    """Per carrier and destination country: transit against the promised lead time."""
    return _transit(first, last, ("carrier__code", "destination_country"))
