"""The reports page and its CSV: access, the date range, the SVG, query counts."""

import csv
import io
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.tickets.agent.conftest import at, make_case
from tickets.models import Case
from tickets.report_tables import ReportRow, ReportTable, Series
from tickets.scenarios import (
    Report,
    Scenario,
    scenario_get,
    scenario_override,
    scenario_reports,
)

pytestmark = pytest.mark.django_db
URL = reverse("tickets:agent-reports")
SVG = "{http://www.w3.org/2000/svg}"


def csv_url(slug: str) -> str:
    return reverse("tickets:agent-report-csv", kwargs={"slug": slug})


def svgs(html: str) -> list[ElementTree.Element]:
    """Every <svg> of the page, parsed as XML (which fails on a malformed one)."""
    found, rest = [], html
    while "<svg" in rest:
        start = rest.index("<svg")
        end = rest.index("</svg>", start) + len("</svg>")
        found.append(ElementTree.fromstring(rest[start:end]))  # noqa: S314 (our own page)
        rest = rest[end:]
    return found


def test_a_supervisor_sees_five_charts_and_the_scenarios_with_titles_axes_and_csv_links(
    known_cases, supervisor_client
):
    response = supervisor_client.get(URL, {"from": "2026-03-05", "to": "2026-03-15"})
    assert response.status_code == 200
    html = response.content.decode()
    charts = svgs(html)
    assert len(charts) == 5 + len(scenario_reports())
    for chart in charts:
        assert chart.get("role") == "img"
        assert chart.find(f"{SVG}title").text
        assert chart.findall(f".//{SVG}g[@class='axis axis-y']")
    volume = charts[0]
    assert len(volume.findall(f".//{SVG}polyline")) == len(Case.Kind.values)
    assert volume.findall(f".//{SVG}circle")
    assert charts[1].findall(f".//{SVG}rect[@class='bar s-defect']")
    for slug in ("volume", "response-times", "sla", "sla-weekly", "satisfaction"):
        assert f"{csv_url(slug)}?from=2026-03-05&amp;to=2026-03-15" in html
    assert "UTC time zone" in html
    assert "Defective product" in html  # the legend


def test_the_default_range_is_the_last_30_days(frozen, supervisor_client):
    response = supervisor_client.get(URL)
    assert response.status_code == 200
    assert 'value="2026-02-19"' in response.content.decode()
    assert 'value="2026-03-20"' in response.content.decode()


def test_an_empty_range_says_so_in_each_chart(frozen, supervisor_client):
    response = supervisor_client.get(URL, {"from": "2025-01-01", "to": "2025-01-02"})
    assert response.status_code == 200
    assert response.content.decode().count("No cases in this range") == 5 + len(scenario_reports())


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "yesterday"}, "First day: Enter a valid date."),
        ({"to": "2026-02-30"}, "Last day: Enter a valid date."),
        ({"from": "2026-03-10", "to": "2026-03-01"}, "The first day is after the last day."),
        ({"from": "2024-01-01", "to": "2026-03-01"}, "Choose at most 366 days."),
    ],
)
def test_a_bad_range_is_a_400_that_says_why(frozen, supervisor_client, params, message):
    page = supervisor_client.get(URL, params)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert "<svg" not in page.content.decode()
    export = supervisor_client.get(csv_url("volume"), params)
    assert export.status_code == 400
    assert message in export.content.decode()


def test_the_csv_has_a_header_row_and_a_file_name(known_cases, supervisor_client):
    response = supervisor_client.get(csv_url("sla"), {"from": "2026-03-05", "to": "2026-03-15"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="sla-2026-03-05-2026-03-15.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["target", "defect", "return", "wrong_item", "shipment_issue", "general"]
    assert rows[1] == ["first_response", "66.7", "", "", "", "0.0"]
    assert rows[2] == ["resolution", "50.0", "", "", "", ""]


def test_an_unknown_report_is_a_404(frozen, supervisor_client):
    assert supervisor_client.get(csv_url("nope")).status_code == 404


def test_an_agent_gets_a_403_in_the_agent_layout(frozen, agent_client):
    for url in (URL, csv_url("volume")):
        response = agent_client.get(url)
        assert response.status_code == 403
        assert "Only supervisors see the reports." in response.content.decode()
        assert 'class="agent-header"' in response.content.decode()


def test_signed_out_goes_to_the_sign_in_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_post_is_refused(frozen, supervisor_client):
    assert supervisor_client.post(URL).status_code == 405


def test_the_query_count_does_not_grow_with_cases_or_days(
    frozen, supervisor_client, django_assert_num_queries
):
    # given one case, the page takes a fixed number of queries: the session, the user (with
    # whether they have a two-factor device) and their permissions (with their groups) unless
    # kept, and one per report (the five built in and each scenario's)
    make_case(Case.Kind.DEFECT, at(10, 9), responded=2, resolved=5, fr_due=4, rating=4)
    params = {"from": "2026-03-01", "to": "2026-03-19"}
    with django_assert_num_queries(8 + len(scenario_reports())):
        assert supervisor_client.get(URL, params).status_code == 200
    with django_assert_num_queries(6 + len(scenario_reports())) as one:
        assert supervisor_client.get(URL, params).status_code == 200
    # when there are thirty cases of every kind over more days, the count is the same
    for n in range(30):
        for kind in Case.Kind.values:
            make_case(kind, at(1 + n % 19, 9) + timedelta(minutes=n), responded=1, rating=3)
    params["from"] = "2025-03-20"
    with django_assert_num_queries(len(one.captured_queries)):
        assert supervisor_client.get(URL, params).status_code == 200


def test_a_scenarios_report_is_drawn_and_exported(frozen, supervisor_client):
    # given the general scenario with a report of its own
    def rows(first, last):
        return ReportTable(
            x_key="step",
            x_label="Step",
            unit="cases",
            series=(Series("waiting", "Waiting"), Series("done", "Done")),
            rows=(ReportRow("a", "A", (1, 2)), ReportRow("b", "B", (3, None))),
        )

    general = scenario_get(Case.Kind.GENERAL)
    report = Report(slug="general-steps", title="Steps of general cases", rows=rows)
    with scenario_override(Scenario(kind=general.kind, label=general.label, reports=(report,))):
        page = supervisor_client.get(URL)
        export = supervisor_client.get(csv_url("general-steps"), {"from": "2026-03-01"})
    assert "Steps of general cases" in page.content.decode()
    chart = svgs(page.content.decode())[-1]
    assert chart.findall(f".//{SVG}rect[@class='bar s-0']")
    assert export.content.decode().splitlines() == ["step,waiting,done", "a,1,2", "b,3,"]
