"""Which right applies to an order line, until when, and how the customer is told: table-driven,
with time frozen on the day of the question."""

import datetime
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from returns.models import ReturnPolicy, ReturnRequest
from returns.services.policy import Refusal, Right, add_months, line_eligibility, policy_for
from shipments.models import ShipmentStatus
from tests.returns.factories import (
    ReturnPolicyFactory,
    SpecialWindowFactory,
    noon,
    order_line,
)
from tests.shipments.factories import ShipmentFactory

pytestmark = pytest.mark.django_db

R, D = ReturnRequest.Kind.RETURN, ReturnRequest.Kind.DEFECT

CASES = [
    # (id, policy, order, kind, today, expected right, eligible, deadline, refusal)
    (
        "eu-14-days-from-the-day-after-delivery",
        {"window_days": 14},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "country": "FR"},
        R,
        date(2027, 3, 15),
        Right.RETURN,
        True,
        date(2027, 3, 15),
        "",
    ),
    (
        "eu-day-15-is-too-late",
        {"window_days": 14},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "country": "FR"},
        R,
        date(2027, 3, 16),
        Right.RETURN,
        False,
        date(2027, 3, 15),
        Refusal.OUTSIDE_WINDOW,
    ),
    (
        "eu-country-never-below-14-days",
        {"window_days": 7, "country": ""},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "country": "DE"},
        R,
        date(2027, 3, 12),
        Right.RETURN,
        True,
        date(2027, 3, 15),
        "",
    ),
    (
        "non-eu-country-has-its-own-window",
        {"window_days": 7, "country": "US"},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "country": "US"},
        R,
        date(2027, 3, 9),
        Right.RETURN,
        False,
        date(2027, 3, 8),
        Refusal.OUTSIDE_WINDOW,
    ),
    (
        "holiday-season-purchase-until-15-january",
        {"window_days": 30},
        {"placed": date(2026, 11, 20), "delivered": date(2026, 11, 24), "country": "DE"},
        R,
        date(2027, 1, 10),
        Right.RETURN,
        True,
        date(2027, 1, 15),
        "",
    ),
    (
        "excluded-sku-pattern",
        {"excluded_skus": "GIFT-*\nHYG-*"},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "sku": "hyg-brush-2"},
        R,
        date(2027, 3, 3),
        Right.RETURN,
        False,
        date(2027, 3, 31),
        Refusal.EXCLUDED,
    ),
    (
        "excluded-category-ignoring-case",
        {"excluded_categories": "Gift cards\nHygiene"},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "category": "hygiene"},
        R,
        date(2027, 3, 3),
        Right.RETURN,
        False,
        date(2027, 3, 31),
        Refusal.EXCLUDED,
    ),
    (
        "a-category-not-excluded-is-returnable",
        {"excluded_categories": "Gift cards"},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "category": "Kitchen"},
        R,
        date(2027, 3, 3),
        Right.RETURN,
        True,
        date(2027, 3, 31),
        "",
    ),
    (
        "no-delivery-known-counts-from-the-order-date",
        {"window_days": 30},
        {"placed": date(2027, 2, 25), "delivered": None, "country": "GB"},
        R,
        date(2027, 3, 27),
        Right.RETURN,
        True,
        date(2027, 3, 27),
        "",
    ),
    (
        "defect-on-day-40-is-a-warranty-claim",
        {"window_days": 30},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1)},
        D,
        date(2027, 4, 10),
        Right.WARRANTY,
        True,
        date(2029, 3, 1),
        "",
    ),
    (
        "defect-within-the-window-is-sent-back-on-the-window",
        {"window_days": 30},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1)},
        D,
        date(2027, 3, 5),
        Right.RETURN,
        True,
        date(2027, 3, 31),
        "",
    ),
    (
        "eu-guarantee-never-below-24-months",
        {"warranty_months": 12, "country": ""},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "country": "IT"},
        D,
        date(2028, 5, 1),
        Right.WARRANTY,
        True,
        date(2029, 3, 1),
        "",
    ),
    (
        "non-eu-warranty-expired",
        {"warranty_months": 12, "country": "US"},
        {"placed": date(2027, 2, 25), "delivered": date(2027, 3, 1), "country": "US"},
        D,
        date(2028, 3, 2),
        Right.WARRANTY,
        False,
        date(2028, 3, 1),
        Refusal.WARRANTY_EXPIRED,
    ),
]


@pytest.mark.parametrize(
    ("policy", "order", "kind", "today", "right", "eligible", "deadline", "refusal"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_right_and_its_deadline(
    time_machine, policy, order, kind, today, right, eligible, deadline, refusal
):
    # Given a policy (and, for the holiday case, its special window) and an order line
    created = ReturnPolicyFactory(**policy)
    SpecialWindowFactory(policy=created)
    line = order_line(**order)

    # When the question is asked on `today`
    time_machine.move_to(noon(today), tick=False)
    decision = line_eligibility(line=line, kind=kind)

    # Then the right, the deadline and the refusal are the expected ones
    assert (decision.right, decision.eligible, decision.deadline, decision.refusal) == (
        right,
        eligible,
        deadline,
        refusal,
    )
    assert decision.policy_id == created.pk


def test_the_customer_reads_the_deadline_in_their_language(time_machine):
    # Given a German customer's line delivered on 28 February 2027, 14 days
    ReturnPolicyFactory(window_days=14)
    line = order_line(
        placed=date(2027, 2, 20), delivered=date(2027, 2, 28), customer__language="de"
    )
    time_machine.move_to(noon(date(2027, 3, 1)), tick=False)

    # When asked in English and in the customer's own language
    english = line_eligibility(line=line, kind=R, language="en")
    german = line_eligibility(line=line, kind=R)

    # Then each says the date in its words
    assert english.explanation == "You can return this until March 14, 2027."
    assert "14. März 2027" in german.explanation


def test_a_late_return_is_told_about_the_warranty(time_machine):
    ReturnPolicyFactory(window_days=14)
    line = order_line(placed=date(2027, 2, 20), delivered=date(2027, 3, 1))
    time_machine.move_to(noon(date(2027, 4, 10)), tick=False)

    decision = line_eligibility(line=line, kind=R, language="en")

    assert not decision.eligible
    assert decision.explanation == (
        "The return period for this item ended on March 15, 2027. If it is faulty, report a "
        "defect instead: it is under warranty until March 1, 2029."
    )


def test_the_parcel_may_arrive_within_the_grace_days(time_machine):
    ReturnPolicyFactory(window_days=14, grace_days=5)
    line = order_line(placed=date(2027, 2, 20), delivered=date(2027, 3, 1))
    time_machine.move_to(noon(date(2027, 3, 2)), tick=False)

    decision = line_eligibility(line=line, kind=R)

    assert decision.parcel_due == date(2027, 3, 20)


def test_the_country_policy_wins_over_the_general_one_and_defaults_apply_without_any():
    line = order_line(placed=date(2027, 2, 20), country="CH")
    assert policy_for(line.order).pk is None  # the built-in defaults
    general = ReturnPolicyFactory(country="")
    assert policy_for(line.order) == general
    swiss = ReturnPolicyFactory(country="CH")
    assert policy_for(line.order) == swiss
    swiss.active = False
    swiss.save()
    assert policy_for(line.order) == general


def test_an_eu_policy_below_the_legal_minimums_is_refused():
    policy = ReturnPolicy(name="France", country="FR", window_days=10, warranty_months=12)
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    assert set(refused.value.message_dict) == {"window_days", "warranty_months"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 3, 1), 24, date(2029, 3, 1)),
        (date(2027, 11, 15), 2, date(2028, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_the_local_date_of_delivery_counts(time_machine):
    # Delivered at 23:30 UTC on 28 February: 1 March in Berlin, the customer's day.
    ReturnPolicyFactory(window_days=14)
    line = order_line(placed=date(2027, 2, 20), delivered=None)
    ShipmentFactory(
        order=line.order,
        status=ShipmentStatus.DELIVERED,
        delivered_at=datetime.datetime(2027, 2, 28, 23, 30, tzinfo=datetime.UTC),
    )
    time_machine.move_to(noon(date(2027, 3, 2)), tick=False)

    assert line_eligibility(line=line, kind=R).deadline == date(2027, 3, 15)


def test_a_faulty_excluded_item_is_under_warranty_and_told_so(time_machine):
    ReturnPolicyFactory(excluded_skus="HYG-*")
    line = order_line(placed=date(2027, 2, 25), delivered=date(2027, 3, 1), sku="HYG-1")
    time_machine.move_to(noon(date(2027, 3, 5)), tick=False)

    decision = line_eligibility(line=line, kind=D, language="en")

    assert (decision.right, decision.eligible, decision.rule) == (Right.WARRANTY, True, "HYG-*")
    assert decision.explanation.startswith("This item cannot be returned (HYG-*), but it is under")
