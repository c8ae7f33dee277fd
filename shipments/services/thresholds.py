"""Detection thresholds per route (origin → destination country): the built-in defaults, and
the RouteThresholds rows that override them, as one SQL expression per threshold so that a rule
compares every shipment with its own route's limit in a single query.

The most specific row that sets a threshold wins: origin and destination, then destination
only, then origin only, then the row with both blank; a row that leaves a threshold empty
falls through to the next one, and past the last row to the default (domestic or
international)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, F, Field, Q, Value, When

from shipments.models import RouteThresholds

# The built-in defaults, (domestic, international). Stalled and presumed-lost follow the terms
# shipping-protection products publish (5/10 days without a scan is a stall, 7/20 days a
# presumed loss); carriers keep a parcel at a pickup point for 7 days or so, so the reminder
# goes out after 3.
DEFAULTS: dict[str, tuple[int, int]] = {
    "handling_hours": (48, 48),
    "unknown_tracking_hours": (48, 72),
    "stalled_days": (5, 10),
    "customs_hold_days": (3, 3),
    "pickup_reminder_days": (3, 3),
    "lost_days": (7, 20),
}
UNITS = {
    "handling_hours": "hours",
    "unknown_tracking_hours": "hours",
    "stalled_days": "days",
    "customs_hold_days": "days",
    "pickup_reminder_days": "days",
    "lost_days": "days",
}

# A shipment crosses a border when it names an origin that is not its destination (as
# Shipment.is_international says).
INTERNATIONAL = ~Q(origin_country="") & ~Q(origin_country=F("destination_country"))


def _specificity(row: RouteThresholds) -> tuple[int, int]:
    return (bool(row.origin_country and row.destination_country), bool(row.destination_country))


@dataclass(frozen=True)
class Routes:
    """The RouteThresholds rows, most specific first (read once per detection pass)."""

    rows: tuple[RouteThresholds, ...]

    @classmethod
    def load(cls) -> "Routes":
        return cls.from_rows(RouteThresholds.objects.all())

    @classmethod
    def from_rows(cls, rows: Iterable[RouteThresholds]) -> "Routes":
        return cls(tuple(sorted(rows, key=_specificity, reverse=True)))

    def value(self, field: str, *, origin: str, destination: str) -> int:
        """The threshold `field` of one route, as the SQL expressions compute it."""
        for row in self.rows:
            limit = getattr(row, field)
            if limit is None:
                continue
            if row.origin_country and row.origin_country != origin:
                continue
            if row.destination_country and row.destination_country != destination:
                continue
            return int(limit)
        domestic, international = DEFAULTS[field]
        return international if origin and origin != destination else domestic

    def values(self, field: str) -> set[int]:
        """Every value `field` can take on some route."""
        found = {int(getattr(row, field)) for row in self.rows if getattr(row, field) is not None}
        return found | set(DEFAULTS[field])

    def expression(
        self,
        field: str,
        make: Callable[[int], Any],
        output_field: "Field[Any, Any]",
        *,
        origin: str | None = "origin_country",
        destination: str = "destination_country",
    ) -> Case:
        """A CASE giving, for each row of the query, make(threshold of its route). `origin`
        None: the rows have no origin (an order), so only rows without one apply and the
        domestic default does."""
        whens: list[When] = []
        default: Any = None
        for row in self.rows:
            limit = getattr(row, field)
            if limit is None:
                continue
            if row.origin_country and origin is None:
                continue
            condition = Q()
            if row.origin_country:
                condition &= Q(**{origin or "": row.origin_country})
            if row.destination_country:
                condition &= Q(**{destination: row.destination_country})
            if not condition:
                default = Value(make(int(limit)), output_field=output_field)
                break
            whens.append(When(condition, then=Value(make(int(limit)), output_field=output_field)))
        if default is None:
            domestic, international = DEFAULTS[field]
            default = Value(make(domestic), output_field=output_field)
            if origin is not None:
                whens.append(
                    When(INTERNATIONAL, then=Value(make(international), output_field=output_field))
                )
        return Case(*whens, default=default, output_field=output_field)


def cutoff(now: datetime, field: str, limit: int) -> datetime:
    """`now` less `limit` of the unit of threshold `field`."""
    return now - timedelta(**{UNITS[field]: limit})
