"""What a report hands to the reports page: a small table the page draws as a chart (SVG), lists
as a data table and sends as CSV. Plain data, no queries: the built-in reports
(tickets/selectors/reports.py) and the scenario apps' (`Report` in tickets/scenarios.py) fill
it, and tickets/agent/charts.py draws it."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.functional import Promise

Text = str | Promise
Value = float | int | None


@dataclass(frozen=True)
class Series:
    """One column of values: `key` heads the CSV column (stable, untranslated; a `Case.Kind`
    value takes that kind's colour), `label` names it in the legend."""

    key: str
    label: Text


@dataclass(frozen=True)
class ReportRow:
    """One point on the x axis (a day, a rating, a measure) and one value per series (None where
    there is nothing to show, e.g. a median of no cases)."""

    x: date | str | int
    label: Text
    values: tuple[Value, ...]


@dataclass(frozen=True)
class ReportTable:
    """A report's numbers: `rows` along the x axis (`x_label`), one value per `series`, in
    `unit` (shown on the y axis). `chart` is "line" (over days) or "bars" (grouped by row).
    `notes` are extra lines (label, values per series) shown under the data table and appended
    to the CSV, e.g. averages."""

    x_key: str
    x_label: Text
    unit: Text
    series: tuple[Series, ...]
    rows: tuple[ReportRow, ...]
    chart: str = "bars"
    notes: tuple[ReportRow, ...] = field(default=())

    def is_empty(self) -> bool:
        return not any(value for row in self.rows for value in row.values)

    def max_value(self) -> float:
        values: Sequence[Value] = [v for row in self.rows for v in row.values if v is not None]
        return float(max(values, default=0) or 0)
