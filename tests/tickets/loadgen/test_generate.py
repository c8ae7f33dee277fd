"""The load data generator: what it makes, and that it is coherent."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tickets.loadgen.rows import case_number
from tickets.models import (
    Case,
    CaseEvent,
    Compensation,
    Customer,
    Message,
    Notification,
    Order,
    OrderLine,
    Team,
)
from tickets.services.timeline import verb_choices

N = 200


@pytest.fixture
def data(generate):
    outcome = generate(N)
    return outcome


def test_the_tables_grow_in_the_issue_s_proportions(data):
    # given a data set of N cases (fixture)
    # then: N/5 customers, N orders, ~2N lines, ~3N messages, ~4N events
    assert Case.objects.count() == N
    assert Order.objects.count() == N
    assert Customer.objects.count() == N // 5
    assert 1.7 * N <= OrderLine.objects.count() <= 2.3 * N
    assert 2.6 * N <= Message.objects.count() <= 3.4 * N
    assert 3.5 * N <= CaseEvent.objects.count() <= 5 * N
    assert 1.2 * N <= Notification.objects.count() <= 1.7 * N
    assert data.after == N and data.rows > 10 * N


def test_the_cases_spread_over_kinds_languages_and_two_years(data):
    kinds = Counter(Case.objects.values_list("kind", flat=True))
    assert kinds.most_common(1)[0][0] == "shipment_issue"
    assert set(kinds) == set(Case.Kind.values)
    assert set(Customer.objects.values_list("language", flat=True)) == {
        "en", "de", "fr", "es", "zh-hans"
    }  # fmt: skip
    assert Customer.objects.values("country").distinct().count() >= 10
    now = timezone.now()
    oldest = Case.objects.order_by("created_at").first()
    assert now - timedelta(days=731) < oldest.created_at < now - timedelta(days=500)
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert statuses["closed"] > N * 0.8
    assert Case.objects.filter(priority="normal").count() > N * 0.5
    assert Team.objects.filter(name__startswith="Loadgen").count() == 5


def test_statuses_and_timestamps_agree(data):
    now = timezone.now()
    for case in Case.objects.all():
        assert case.created_at <= case.updated_at <= now
        assert case.first_response_due > case.created_at
        assert case.resolution_due > case.first_response_due
        if case.status == "new":
            assert case.first_responded_at is None
        else:
            assert case.created_at < case.first_responded_at <= now
        if case.is_active:
            assert case.resolved_at is None and case.closed_at is None
        else:
            assert case.first_responded_at < case.resolved_at <= case.updated_at
        if case.status == "closed":
            assert case.resolved_at < case.closed_at <= now
        if case.order_id:
            assert case.order.placed_at <= case.created_at
            assert case.order.customer_id == case.customer_id
            assert case.customer.created_at <= case.order.placed_at
    assert not Message.objects.filter(author_kind="customer", visibility="internal").exists()


def test_each_case_s_status_moves_follow_the_transition_table(data):
    verbs = {verb for verb, _ in verb_choices()}
    events = CaseEvent.objects.order_by("case_id", "created_at", "pk")
    assert set(events.values_list("verb", flat=True)) <= verbs
    status: dict[int, str] = {}
    for event in events:
        if event.verb == "created":
            assert event.case_id not in status
            status[event.case_id] = "new"
        elif event.verb == "status_changed":
            assert event.data["previous"] == status[event.case_id]
            assert event.data["status"] in Case.TRANSITIONS[status[event.case_id]]
            status[event.case_id] = event.data["status"]
    assert status == dict(Case.objects.values_list("pk", "status"))


def test_rows_pass_the_models_validation_and_the_database_s_constraints(data):
    # Model validation (choices, validators, currency precision, check constraints)
    for model in (Customer, Order, OrderLine, Case, Message, Compensation):
        for row in model.objects.all()[:150]:
            row.full_clean(validate_unique=False)
    # Foreign keys (deferred on PostgreSQL: checked now)
    connection.check_constraints()
    assert Compensation.objects.exists()
    assert Notification.objects.filter(status="failed").exists()
    assert Notification.objects.filter(status="sent").exists()


def test_case_numbers_are_unique_deterministic_and_shaped_like_new_ones(data):
    numbers = list(Case.objects.values_list("number", flat=True))
    assert len(set(numbers)) == N
    assert {case_number(i, 1) for i in range(N)} == set(numbers)
    prefix, first, second = numbers[0].split("-")
    assert (len(first), len(second)) == (4, 4)
    assert len({case_number(i, 2) for i in range(10_000)}) == 10_000
