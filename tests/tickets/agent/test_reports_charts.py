"""The SVG drawing: axis scales, long labels, escaping."""

from xml.etree import ElementTree

import pytest

from tickets.agent.charts import nice_max, render_chart, text_width
from tickets.report_tables import ReportRow, ReportTable, Series

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, (5.0, 1.0)), (4, (4.0, 1.0)), (7, (8.0, 2.0)), (99.6, (100.0, 20.0)), (0.3, (0.3, 0.1))],
)
def test_the_y_axis_ends_on_a_round_number(value, expected):
    top, step = nice_max(value)
    assert (round(top, 6), round(step, 6)) == expected


@pytest.mark.parametrize(("value", "expected"), [(1, (1.0, 1.0)), (2, (2.0, 1.0)), (7, (8.0, 2.0))])
def test_counts_have_no_ticks_between_whole_numbers(value, expected):
    assert nice_max(value, whole=True) == expected


def _chart(series_labels, row_labels, values=None, chart="line"):
    table = ReportTable(
        x_key="x",
        x_label="日期",
        unit="工单",
        series=tuple(Series(f"s{n}", label) for n, label in enumerate(series_labels)),
        rows=tuple(
            ReportRow(n, label, values or (n,) * len(series_labels))
            for n, label in enumerate(row_labels)
        ),
        chart=chart,
    )
    return ElementTree.fromstring(render_chart(table, title="T", chart_id="c"))  # noqa: S314


def _apart(placed):
    """Each of `placed` ((x, label) in order) starts after the one before it ends."""
    for (x, label), (next_x, _next) in zip(placed, placed[1:], strict=False):
        assert next_x - x >= text_width(label), (label, x, next_x)


def test_chinese_legend_entries_and_dates_do_not_overlap():
    kinds = ["商品故障或损坏", "退货", "发错商品", "物流延误或丢失", "一般咨询"]
    days = [f"2026年11月{day}日" for day in range(1, 31)]
    root = _chart(kinds, days)

    legend = root.findall(f".//{SVG}text[@class='legend']")
    rows: dict[str, list[tuple[float, str]]] = {}
    for text in legend:
        rows.setdefault(text.get("y"), []).append((float(text.get("x")), text.text))
    for entries in rows.values():
        _apart(entries)
    ticks = [t for t in root.findall(f".//{SVG}g[@class='axis axis-x']/{SVG}text") if t.text]
    shown = [(float(t.get("x")), t.text) for t in ticks if t.get("class") == "tick"]
    assert 2 <= len(shown) < len(days)
    _apart(shown)


def test_a_chart_of_counts_ticks_whole_numbers_only():
    root = _chart(["Ratings"], ["1", "2", "3"], values=(1,))
    ticks = root.findall(f".//{SVG}g[@class='axis axis-y']/{SVG}text[@class='tick']")
    assert [tick.text for tick in ticks] == ["0", "1"]


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


def test_a_bar_chart_labels_every_bar_and_wraps_long_chinese_labels():
    outcomes = ["缺陷已确认", "缺陷未确认", "不是缺陷索赔（客户改变主意）", "A：全新", "B：已拆封"]
    outcomes += ["C：已损坏", "D：无法再售"]
    root = _chart(["件数"], outcomes, chart="bars")

    ticks = root.findall(f".//{SVG}g[@class='axis axis-x']/{SVG}text[@class='tick']")
    assert ["".join(tick.itertext()) for tick in ticks] == outcomes
    wrapped = {"".join(tick.itertext()) for tick in ticks if tick.findall(f"{SVG}tspan")}
    assert wrapped == {"不是缺陷索赔（客户改变主意）"}
