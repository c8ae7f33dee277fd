"""Server-drawn SVG charts of a ReportTable: a line chart over days, or grouped bars.

No JavaScript and no chart library: the SVG is written here, inline in the page, with axes,
units, a legend and a <title> on every point for those who hover or use a screen reader (the
page also lists the numbers in a table). Colours come from CSS classes (static/agent/
reports.css): `s-<kind>` uses the kind's colour from agent.css, other series `s-0` ... `s-7`.
"""

import math
import unicodedata
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from tickets.agent.html import html_format, html_join
from tickets.models import Case
from tickets.report_tables import ReportTable, Series, Value

WIDTH, HEIGHT = 640, 290
LEFT, RIGHT, BOTTOM = 56, 30, 46
# About how wide a character of the 11-12 px chart text is: enough to lay out the legend and to
# wrap long axis labels, without measuring fonts on the server.
CHAR_WIDTH = 6.2
LEGEND_ROW = 18
PALETTE = 8
# Past this many points a line chart draws no dots: a year of days stays a light page.
MAX_DOTS = 62
MAX_X_LABELS = 8


def series_class(series: Series, index: int) -> str:
    """The CSS class of a series' colour: its kind's, else one of the palette by position."""
    if series.key in Case.Kind.values:
        return f"s-{series.key}"
    return f"s-{index % PALETTE}"


def nice_max(value: float, *, whole: bool = False) -> tuple[float, float]:
    """(top of the y axis, step between ticks): about five ticks of 1, 2 or 5 × 10^n; steps of
    at least 1 for `whole` numbers (counts), which have no ticks between them."""
    if value <= 0:
        return 5.0, 1.0
    raw = value / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if whole:
        step = max(step, 1.0)
    return step * math.ceil(value / step), step


def text_width(text: str) -> float:
    """About how wide `text` is drawn: a Chinese, Japanese or Korean character (East Asian wide
    or full-width) takes two Latin ones' room."""
    return CHAR_WIDTH * sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _number(value: float) -> str:
    return number_format(round(value, 1) if value % 1 else int(value))


def render_chart(table: ReportTable, *, title: str, chart_id: str) -> SafeString:
    """The SVG of `table` (with `title` as its accessible name)."""
    legend, legend_height = _legend(table.series)
    top = 12 + legend_height
    plot = (LEFT, top, WIDTH - RIGHT, HEIGHT - BOTTOM)
    whole = all(isinstance(v, int) for row in table.rows for v in row.values if v is not None)
    top_value, step = nice_max(table.max_value(), whole=whole)
    parts = [legend, _y_axis(plot, top_value, step, str(table.unit))]
    if table.chart == "line":
        parts.append(_lines(table, plot, top_value))
    else:
        parts.append(_bars(table, plot, top_value))
    parts.append(_x_axis(table, plot))
    if table.is_empty():
        parts.append(
            html_format(
                '<text class="empty" x="{}" y="{}" text-anchor="middle">{}</text>',
                (plot[0] + plot[2]) / 2,
                (plot[1] + plot[3]) / 2,
                gettext("No cases in this range"),
            )
        )
    return html_format(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{}" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title" aria-describedby="{}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        table.chart,
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        _description(table),
        mark_safe("".join(parts)),  # noqa: S308 (each part is built with html_format)
    )


def _description(table: ReportTable) -> str:
    names = ", ".join(str(series.label) for series in table.series)
    return f"{table.x_label} / {table.unit}: {names}"


def _legend(series: Sequence[Series]) -> tuple[str, int]:
    items, x, y = [], LEFT, 12
    for index, one in enumerate(series):
        width = 14 + text_width(str(one.label))
        if x + width > WIDTH - RIGHT and x > LEFT:
            x, y = LEFT, y + LEGEND_ROW
        items.append(
            html_format(
                '<rect class="swatch {}" x="{}" y="{}" width="10" height="10"/>'
                '<text class="legend" x="{}" y="{}">{}</text>',
                series_class(one, index),
                x,
                y - 9,
                x + 14,
                y,
                one.label,
            )
        )
        x += width + 12
    return html_format('<g class="legend">{}</g>', mark_safe("".join(items))), y + 6  # noqa: S308


def _y(value: float, plot: tuple[float, float, float, float], top_value: float) -> float:
    _left, top, _right, bottom = plot
    return round(bottom - (bottom - top) * value / top_value, 1)


def _y_axis(plot, top_value: float, step: float, unit: str) -> str:
    left, top, right, bottom = plot
    ticks = []
    count = round(top_value / step)
    for n in range(count + 1):
        value = n * step
        y = _y(value, plot, top_value)
        ticks.append(
            html_format(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
                left,
                right,
                y,
                y,
                left - 6,
                y + 4,
                _number(value),
            )
        )
    middle = (top + bottom) / 2
    return html_format(
        '<g class="axis axis-y">{}<line class="axis-line" x1="{}" x2="{}" y1="{}" y2="{}"/>'
        '<text class="unit" x="{}" y="{}" text-anchor="middle" '
        'transform="rotate(-90 {} {})">{}</text></g>',
        mark_safe("".join(ticks)),  # noqa: S308
        left,
        left,
        top,
        bottom,
        14,
        middle,
        14,
        middle,
        unit,
    )


def _x_positions(count: int, plot, *, bars: bool) -> list[float]:
    left, _top, right, _bottom = plot
    if bars or count == 1:
        width = (right - left) / max(count, 1)
        return [round(left + width * (i + 0.5), 1) for i in range(count)]
    return [round(left + (right - left) * i / (count - 1), 1) for i in range(count)]


def _x_axis(table: ReportTable, plot) -> str:
    left, _top, right, bottom = plot
    positions = _x_positions(len(table.rows), plot, bars=table.chart != "line")
    slot = (right - left) / max(len(table.rows), 1)
    every = max(1, math.ceil(len(table.rows) / MAX_X_LABELS))
    if table.chart == "line":
        # Days: never closer than the widest date needs ("2026年11月2日" does not fit where
        # "11/02/2026" does). A bar chart labels every bar, wrapping what is too wide.
        widest = max((text_width(str(row.label)) for row in table.rows), default=0)
        every = max(every, math.ceil((widest + 8) / slot))
    room = slot * every
    last = len(table.rows) - 1
    labels = html_join(
        '<text class="tick" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            # The last day of a line chart sits on the plot's right edge: its label ends there.
            (x, bottom + 16, anchor, _wrapped(str(row.label), x=x, room=room))
            for index, (x, row) in enumerate(zip(positions, table.rows, strict=True))
            if index % every == 0
            for anchor in ["end" if table.chart == "line" and index == last > 0 else "middle"]
        ),
    )
    return html_format(
        '<g class="axis axis-x"><line class="axis-line" x1="{}" x2="{}" y1="{}" y2="{}"/>{}'
        '<text class="unit" x="{}" y="{}" text-anchor="end">{}</text></g>',
        left,
        right,
        bottom,
        bottom,
        labels,
        right,
        HEIGHT - 2,
        table.x_label,
    )


def _wrapped(label: str, *, x: float, room: float) -> str:
    """`label`, on two lines (tspans) where it is wider than `room`, split at the space
    nearest its middle, or (Chinese, which breaks between any two characters) at its middle."""
    width = text_width(label)
    wide = width > len(label) * CHAR_WIDTH
    if width <= room or not (" " in label or wide):
        return html_format("{}", label)
    middle = len(label) / 2
    if " " in label:
        cut = min((i for i, char in enumerate(label) if char == " "), key=lambda i: abs(i - middle))
        first, second = label[:cut], label[cut + 1 :]
    else:
        first, second = label[: round(middle)], label[round(middle) :]
    return html_format(
        '<tspan x="{}">{}</tspan><tspan x="{}" dy="13">{}</tspan>', x, first, x, second
    )


def _point_title(row_label: str, series: Series, value: Value, unit: str) -> str:
    shown = "–" if value is None else _number(float(value))
    return f"{row_label} · {series.label}: {shown} {unit}"


def _lines(table: ReportTable, plot, top_value: float) -> str:
    positions = _x_positions(len(table.rows), plot, bars=False)
    groups = []
    for index, series in enumerate(table.series):
        points = [
            (x, _y(float(row.values[index]), plot, top_value), row)
            for x, row in zip(positions, table.rows, strict=True)
            if row.values[index] is not None
        ]
        dots = ""
        if len(table.rows) <= MAX_DOTS:
            dots = html_join(
                '<circle cx="{}" cy="{}" r="2.5"><title>{}</title></circle>',
                (
                    (
                        x,
                        y,
                        _point_title(str(row.label), series, row.values[index], str(table.unit)),
                    )
                    for x, y, row in points
                ),
            )
        groups.append(
            html_format(
                '<g class="series {}"><polyline points="{}"/>{}</g>',
                series_class(series, index),
                " ".join(f"{x},{y}" for x, y, _row in points),
                dots,
            )
        )
    return "".join(groups)


def _bars(table: ReportTable, plot, top_value: float) -> str:
    left, _top, right, bottom = plot
    group_width = (right - left) / max(len(table.rows), 1)
    count = max(len(table.series), 1)
    bar_width = min(28.0, group_width * 0.8 / count)
    positions = _x_positions(len(table.rows), plot, bars=True)
    bars = []
    for center, row in zip(positions, table.rows, strict=True):
        start = center - bar_width * count / 2
        for index, series in enumerate(table.series):
            value = row.values[index]
            if value is None:
                continue
            y = _y(float(value), plot, top_value)
            bars.append(
                html_format(
                    '<rect class="bar {}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}</title></rect>",
                    series_class(series, index),
                    round(start + bar_width * index, 1),
                    y,
                    round(bar_width - 1, 1),
                    round(bottom - y, 1),
                    _point_title(str(row.label), series, value, str(table.unit)),
                )
            )
    return "".join(bars)
