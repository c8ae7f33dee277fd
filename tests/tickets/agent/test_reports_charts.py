"""The SVG drawing: axis scales, long labels, escaping."""

from xml.etree import ElementTree

import pytest

from tickets.agent.charts import nice_max, render_chart
from tickets.report_tables import ReportRow, ReportTable, Series

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, (5.0, 1.0)), (4, (4.0, 1.0)), (7, (8.0, 2.0)), (99.6, (100.0, 20.0)), (0.3, (0.3, 0.1))],
)
def test_the_y_axis_ends_on_a_round_number(value, expected):
    top, step = nice_max(value)
    assert (round(top, 6), round(step, 6)) == expected


def test_labels_are_escaped_and_long_ones_wrap():
    table = ReportTable(
        x_key="x",
        x_label="<x>",
        unit="h & m",
        series=(Series("a", "<b>A</b>"),),
        rows=tuple(ReportRow(n, f"A rather long label number {n} & more", (n,)) for n in range(6)),
    )
    svg = render_chart(table, title="T <1>", chart_id="c")
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own output)
    assert root.find(f"{SVG}title").text == "T <1>"
    assert "<b>" not in svg and "&lt;b&gt;A&lt;/b&gt;" in svg
    assert root.findall(f".//{SVG}tspan")
    # one bar per row; the 0 is a bar of no height, its title still says the value
    assert len(root.findall(f".//{SVG}rect[@class='bar s-0']")) == 6
