"""The returns reports on the supervisors' reports page: return and defect rate by SKU, the
reasons given, inspection outcomes, the time to refund and the restocking fees kept; one query
each whatever the data, bounded by the date range."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from returns import selectors_reports
from returns.models import ReturnLine, ReturnRequest
from returns.selectors_reports import (
    report_inspection_outcomes,
    report_rates_by_sku,
    report_restocking_recovered,
    report_time_to_refund,
    report_top_reasons,
)
from tests.tickets.factories import CaseFactory, OrderFactory, OrderLineFactory, supervisor
from tickets.scenarios import scenario_reports

pytestmark = pytest.mark.django_db

NOW = "2026-07-16T10:00:00+00:00"
FIRST, LAST = date(2026, 7, 1), date(2026, 7, 15)
REPORTS = (
    report_rates_by_sku,
    report_top_reasons,
    report_inspection_outcomes,
    report_time_to_refund,
    report_restocking_recovered,
)
SLUGS = (
    "returns-sku-rates",
    "returns-reasons",
    "returns-inspection",
    "returns-time-to-refund",
    "returns-restocking",
)


@pytest.fixture
def now(time_machine, settings):
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(NOW, tick=False)


def july(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 7, day, hour, tzinfo=UTC)


JUNE_20 = datetime(2026, 6, 20, 12, tzinfo=UTC)


def sold(sku: str, quantity: int, *, placed: datetime | None = None, currency: str = "EUR"):
    """An order line of `quantity` units of `sku`, of an order placed on `placed` (5 July)."""
    order = OrderFactory(placed_at=placed or july(5), currency=currency)
    return OrderLineFactory(order=order, sku=sku, quantity=quantity)


def claim(order, *, kind="return", status="requested", created=None, lines=(), **fields):
    """A request on `order` made on `created` (6 July) with `lines`: (order line, units, reason
    code, line fields)."""
    case = CaseFactory(customer=order.customer, order=order, kind=kind)
    request = ReturnRequest.objects.create(
        case=case,
        order=order,
        kind=kind,
        status=status,
        preferred_outcome="refund",
        created_at=created or july(6),
        **fields,
    )
    for line, units, reason, line_fields in lines:
        ReturnLine.objects.create(
            request=request, order_line=line, quantity=units, reason_code=reason, **line_fields
        )
    return request


def values(table):
    return {row.x: row.values for row in table.rows}


@pytest.fixture
def returns(now):
    """Kettles (10 units sold), toasters (4) and mugs (5) sold in the range, and a kettle order
    before it; returns of kettles and toasters, inspected and not."""
    kettles_a, kettles_b = sold("KETTLE", 4), sold("KETTLE", 6)
    toasters, _mugs = sold("TOASTER", 4), sold("MUG", 5)
    # 2 kettles back that did not fit: inspected as new
    claim(
        kettles_a.order,
        status="inspected",
        inspected_at=july(9),
        lines=[(kettles_a, 2, "doesnt_fit", {"condition": "A"})],
    )
    # a kettle that stopped working: the defect is confirmed (grade C)
    claim(
        kettles_b.order,
        kind="defect",
        status="inspected",
        inspected_at=july(9),
        lines=[(kettles_b, 1, "stopped_working", {"condition": "C", "defect_confirmed": True})],
    )
    # another kettle claimed to have stopped working: it works (grade B), not a defective unit
    claim(
        kettles_b.order,
        kind="defect",
        status="inspected",
        inspected_at=july(10),
        lines=[(kettles_b, 1, "stopped_working", {"condition": "B", "defect_confirmed": False})],
    )
    # a rejected return: its reason counts, its unit does not come back
    claim(kettles_a.order, status="rejected", lines=[(kettles_a, 1, "changed_mind", {})])
    # a toaster dead on arrival, not inspected yet
    claim(
        toasters.order,
        kind="defect",
        status="received",
        lines=[(toasters, 1, "dead_on_arrival", {})],
    )
    # before the range: kettles ordered, claimed and inspected in June (grade D)
    old = sold("KETTLE", 3, placed=JUNE_20)
    claim(
        old.order,
        status="inspected",
        created=JUNE_20,
        inspected_at=JUNE_20,
        lines=[(old, 3, "doesnt_fit", {"condition": "D"})],
    )


def test_return_and_defect_rates_by_sku(returns, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = report_rates_by_sku(FIRST, LAST)
    # kettles: 4 of 10 back (the rejected one not), 1 defective (the one that works is not);
    # toasters: 1 of 4 back and defective; mugs never came back
    assert values(table) == {"KETTLE": (40.0, 10.0), "TOASTER": (25.0, 25.0)}
    assert [row.x for row in table.rows] == ["KETTLE", "TOASTER"]  # most units returned first
    assert table.unit == "%"
    # all SKUs: 5 of 19 units back (26.3 %), 2 defective (10.5 %)
    assert {note.x: note.values for note in table.notes} == {
        "all": (26.3, 10.5),
        "units_sold": (19, None),
        "units_returned": (5, 2),
    }


def test_only_the_skus_returned_most_are_shown(returns, monkeypatch):
    monkeypatch.setattr(selectors_reports, "MAX_GROUPS", 1)
    table = report_rates_by_sku(FIRST, LAST)
    assert values(table) == {"KETTLE": (40.0, 10.0)}
    assert table.notes[0].values == (26.3, 10.5)  # the totals are of every SKU


def test_top_reasons_in_units_with_their_labels(returns, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = report_top_reasons(FIRST, LAST)
    assert [(row.x, str(row.label), row.values) for row in table.rows] == [
        ("doesnt_fit", "Doesn't fit", (2,)),
        ("stopped_working", "Stopped working", (2,)),
        ("changed_mind", "Changed my mind", (1,)),
        ("dead_on_arrival", "Dead on arrival", (1,)),
    ]
    assert table.notes[0].values == (6,)


def test_inspection_outcomes_and_condition_grades(returns, django_assert_num_queries):
    with django_assert_num_queries(1):
        table = report_inspection_outcomes(FIRST, LAST)
    # the June inspection (3 units, grade D) is outside the range; the toaster not inspected
    assert values(table) == {
        "defect_confirmed": (1,),
        "defect_not_confirmed": (1,),
        "not_a_defect_claim": (2,),
        "grade_A": (2,),
        "grade_B": (1,),
        "grade_C": (1,),
        "grade_D": (0,),
    }
    assert str(table.rows[3].label) == "A: as new"


def refunded(hours: float, *, received: datetime | None = None, **fields):
    """A request received on `received` (3 July, noon) and refunded `hours` later."""
    received = received or july(3)
    order = sold("KETTLE", 1).order
    return claim(
        order,
        status="resolved",
        received_at=received,
        refunded_at=received + timedelta(hours=hours),
        **fields,
    )


@pytest.mark.parametrize(
    ("hours", "median", "p90"),
    [
        # median the 3rd of 5; p90 at 3.6 of 0..4: 8 + 0.6 × (30 − 8)
        ((30, 1, 8, 2, 4), 4.0, 21.2),
        # median between the 2nd and 3rd of 4; p90 at 2.7: 4 + 0.7 × (8 − 4)
        ((8, 1, 4, 2), 3.0, 6.8),
        # two refunds in the same time are two refunds
        ((5, 5), 5.0, 5.0),
        ((1.5,), 1.5, 1.5),
    ],
)
def test_time_to_refund_median_and_90th_percentile(
    now, hours, median, p90, django_assert_num_queries
):
    for h in hours:
        refunded(h)
    with django_assert_num_queries(1):
        table = report_time_to_refund(FIRST, LAST)
    assert values(table) == {"median": (median,), "p90": (p90,)}
    assert table.unit == "hours"
    assert table.notes[0].values == (len(hours),)


def test_the_time_to_refund_leaves_out_refunds_without_a_receipt_after_it(now):
    refunded(2)
    refunded(6)
    refunded(-3)  # released on approval, before the parcel arrived
    claim(sold("KETTLE", 1).order, refunded_at=july(4))  # never received
    refunded(1, received=datetime(2026, 6, 29, 12, tzinfo=UTC))  # refunded 29 June
    table = report_time_to_refund(FIRST, LAST)
    assert values(table) == {"median": (4.0,), "p90": (5.6,)}
    assert table.notes[0].values == (2,)


def test_no_refunds_no_times(now):
    table = report_time_to_refund(FIRST, LAST)
    assert values(table) == {"median": (None,), "p90": (None,)}
    assert table.notes[0].values == (0,)
    assert table.is_empty()


def test_restocking_fees_kept_per_currency(now, django_assert_num_queries):
    def inspected(fee, currency="EUR", at=None):
        order = sold("KETTLE", 1, currency=currency).order
        claim(order, status="resolved", inspected_at=at or july(8), restocking_fee=fee)

    inspected(Decimal("5.00"))
    inspected(Decimal("7.50"))
    inspected(Decimal("3.00"), currency="USD")
    inspected(None)  # no fee kept
    inspected(Decimal("9.00"), at=JUNE_20)  # inspected before the range
    with django_assert_num_queries(1):
        table = report_restocking_recovered(FIRST, LAST)
    assert values(table) == {"EUR": (12.5,), "USD": (3.0,)}
    assert [(note.x, str(note.label), note.values) for note in table.notes] == [
        ("returns_EUR", "Returns with a fee kept, EUR", (2,)),
        ("returns_USD", "Returns with a fee kept, USD", (1,)),
    ]


def test_the_range_is_whole_days_in_the_current_time_zone(time_machine, settings):
    # given Berlin (summer time, UTC+2), requests made around the range's first and last day
    settings.TIME_ZONE = "Europe/Berlin"
    time_machine.move_to(NOW, tick=False)
    line = sold("KETTLE", 9)
    edges = {
        "doesnt_fit": datetime(2026, 6, 30, 21, 59, tzinfo=UTC),  # 30 June 23:59 in Berlin
        "changed_mind": datetime(2026, 6, 30, 22, 0, tzinfo=UTC),  # 1 July 00:00
        "arrived_too_late": datetime(2026, 7, 15, 21, 59, tzinfo=UTC),  # 15 July 23:59
        "ordered_by_mistake": datetime(2026, 7, 15, 22, 0, tzinfo=UTC),  # 16 July 00:00
    }
    for reason, at in edges.items():
        claim(line.order, created=at, lines=[(line, 1, reason, {})])
        refunded(1, received=at - timedelta(hours=1))
    # then only the requests made, and refunds paid, from 1 to 15 July count
    assert set(values(report_top_reasons(FIRST, LAST))) == {"changed_mind", "arrived_too_late"}
    assert report_time_to_refund(FIRST, LAST).notes[0].values == (2,)


def test_an_empty_range_is_an_empty_table(returns):
    for report in REPORTS:
        assert report(date(2025, 1, 1), date(2025, 1, 31)).is_empty(), report.__name__


def test_registered_once_on_the_defect_scenario():
    slugs = [report.slug for report in scenario_reports()]
    assert [slug for slug in slugs if slug.startswith("returns-")] == list(SLUGS)


def data_set(n: int) -> None:
    """`n` requests of every sort, inspected, refunded, with fees, in two currencies."""
    for i in range(n):
        line = sold(f"SKU-{i % 7}", 3, currency=("EUR", "USD")[i % 2])
        claim(
            line.order,
            kind=("return", "defect")[i % 2],
            status="resolved",
            inspected_at=july(8),
            received_at=july(7),
            refunded_at=july(7) + timedelta(hours=i + 1),
            restocking_fee=Decimal("2.50"),
            lines=[(line, 1 + i % 3, "doesnt_fit", {"condition": "AB"[i % 2]})],
        )


def test_the_query_count_does_not_grow_with_the_requests(now):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for report in REPORTS:
                report(FIRST, LAST)
        return len(captured.captured_queries)

    data_set(2)
    few = queries()
    data_set(18)
    assert queries() == few == len(REPORTS)


def test_the_reports_page_draws_them_and_exports_csv(returns, client):
    client.force_login(supervisor(username="sam"))
    page = client.get(reverse("tickets:agent-reports"), {"from": "2026-07-01", "to": "2026-07-15"})
    assert page.status_code == 200
    html = page.content.decode()
    for title in (
        "Return and defect rate by SKU",
        "Top return reasons",
        "Inspection outcomes",
        "Time from receipt to refund",
        "Restocking fees recovered",
    ):
        assert title in html
    export = client.get(
        reverse("tickets:agent-report-csv", kwargs={"slug": "returns-sku-rates"}),
        {"from": "2026-07-01", "to": "2026-07-15"},
    )
    assert export.status_code == 200
    assert export.content.decode().splitlines() == [
        "sku,return_rate,defect_rate",
        "KETTLE,40.0,10.0",
        "TOASTER,25.0,25.0",
        "all,26.3,10.5",
        "units_sold,19,",
        "units_returned,5,2",
    ]
