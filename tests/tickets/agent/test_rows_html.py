"""The case list's rows and option lists, drawn in Python (tickets.agent.rows.rows_html, the
`options` filter): what a template drew before, escaped as a template escapes."""

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from tickets.agent.rows import Row, rows_html

NOW = dt.datetime(2026, 7, 15, 10, 0, tzinfo=dt.UTC)


def row(**changes) -> Row:
    values = {
        "number": "AS-AAAA-BBBB",
        "href": "/agent/cases/AS-AAAA-BBBB/?kind=defect&status=open",
        "select_label": "Select case AS-AAAA-BBBB",
        "country": "DE",
        "flag": "🇩🇪",
        "customer": "Anna <Müller>",
        "email": "anna@example.com",
        "subject": 'Broken "kettle" <script>alert(1)</script>',
        "kind": "defect",
        "kind_label": "Defect",
        "status_label": "Open",
        "sla": "",
        "initials": "BK",
        "assignee": "Ben Koch",
        "updated_iso": NOW.isoformat(),
        "updated_ago": "5 min",
    }
    return Row(**(values | changes))


def test_a_row_escapes_what_people_typed():
    html = rows_html([row()], selectable=True, current=None)
    assert "<script>" not in html
    assert "Broken &quot;kettle&quot; &lt;script&gt;" in html
    assert "Anna &lt;Müller&gt;" in html
    assert 'href="/agent/cases/AS-AAAA-BBBB/?kind=defect&amp;status=open"' in html


def test_the_list_has_tick_boxes_and_the_pane_marks_the_current_case():
    listed = rows_html([row()], selectable=True, current=None)
    assert 'name="cases" value="AS-AAAA-BBBB"' in listed
    assert "is-current" not in listed and "aria-current" not in listed
    pane = rows_html([row(), row(number="AS-CCCC-DDDD")], selectable=False, current="AS-AAAA-BBBB")
    assert 'name="cases"' not in pane
    assert pane.count('class="case-row is-current"') == 1
    assert pane.count('aria-current="true"') == 1


def test_a_row_without_country_or_assignee_leaves_those_out():
    html = rows_html(
        [row(country="", flag="", initials="", assignee="")], selectable=False, current=None
    )
    assert 'class="flag"' not in html and 'class="initials"' not in html


def test_no_rows_says_so_in_the_language_of_the_page():
    assert 'colspan="9"' in rows_html([], selectable=True, current=None)
    with translation.override("de"):
        html = rows_html([], selectable=False, current=None)
    assert "colspan" not in html
    assert "No cases match." not in html


def test_options_select_the_chosen_value_and_escape_labels():
    template = Template("{% load agent_queue %}{{ choices|options:chosen }}")
    html = template.render(Context({"choices": [(1, "Ana"), (2, "<Ben>")], "chosen": 2}))
    assert html == '<option value="1">Ana</option><option value="2" selected>&lt;Ben&gt;</option>'
    nothing = Template("{% load agent_queue %}{{ choices|options }}")
    assert "selected" not in nothing.render(Context({"choices": [(1, "Ana")]}))
