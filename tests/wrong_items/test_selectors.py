"""The workspace's read of a case's wrong-item report (wrong_items.selectors.report_of_case)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import CaseFactory
from tickets.models import Case
from wrong_items.selectors import report_of_case

pytestmark = pytest.mark.django_db


def test_the_report_is_read_with_its_parts_in_one_unsorted_query(report):
    # given the case of a report, as the workspace holds it
    case = Case.objects.get(pk=report.case_id)

    # when its report is read
    with CaptureQueriesContext(connection) as captured:
        found = report_of_case(case=case)
        # then its order, item and root cause come with it, and the case is the one given
        assert (found.order, found.order_line, found.case) == (
            report.order,
            report.order_line,
            case,
        )
    assert len(captured) == 1
    # a case has one report at most: nothing to sort
    assert "ORDER BY" not in captured[0]["sql"]


def test_a_case_without_a_report_has_none(django_assert_num_queries):
    case = CaseFactory(kind=Case.Kind.WRONG_ITEM)
    with django_assert_num_queries(1):
        assert report_of_case(case=case) is None
