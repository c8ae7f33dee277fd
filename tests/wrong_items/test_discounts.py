"""Discount codes: unique, single use, recorded as compensation, pushed through the adapter."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.tickets.factories import agent
from tickets.models import Compensation, Notification
from wrong_items.discounts import ManualAdapter
from wrong_items.discounts.shopify import ShopifyAdapter, price_rule_body
from wrong_items.errors import DiscountPushFailed
from wrong_items.models import DiscountCode
from wrong_items.services.discounts import ALPHABET, discount_code_generate, discount_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return agent(username="alice")


class FakeShopify:
    """Shopify's documented answers to price_rules.json and discount_codes.json."""

    def __init__(self, fail_code: bool = False):
        self.calls = []
        self.fail_code = fail_code

    def __call__(self, method, path, body):
        self.calls.append((method, path, body))
        if path == "/price_rules.json":
            return 201, {"price_rule": {"id": 507328175, **body["price_rule"]}}
        if self.fail_code:
            return 422, {"errors": {"code": ["must be unique"]}}
        return 201, {
            "discount_code": {
                "id": 1054381139,
                "price_rule_id": 507328175,
                "code": body["discount_code"]["code"],
                "usage_count": 0,
            }
        }


def test_codes_are_long_random_and_readable():
    codes = {discount_code_generate() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        body = code.removeprefix("SORRY-").replace("-", "")
        assert len(body) == 12 and set(body) <= set(ALPHABET)


def test_a_percentage_discount_is_recorded_issued_and_emailed(report, alice):
    discount = discount_issue(
        report=report,
        value_type="percentage",
        value=Decimal("15"),
        actor=alice,
        adapter=ManualAdapter(),
    )
    assert discount.code.startswith("SORRY-")
    assert (discount.currency, discount.adapter) == ("EUR", "manual")
    assert discount.expires_at > timezone.now() + timedelta(days=89)
    compensation = discount.compensation
    assert (compensation.kind, compensation.amount, compensation.status) == (
        Compensation.Kind.DISCOUNT_CODE,
        Decimal("7.500"),
        Compensation.Status.ISSUED,
    )
    assert compensation.external_reference == discount.code
    email = Notification.objects.get(
        case=report.case, template="wrong_item_discount", channel="email"
    )
    assert discount.code in email.body
    assert email.language == "fr"


@pytest.mark.parametrize(
    ("value_type", "value", "field"),
    [
        ("percentage", Decimal("120"), "value"),
        ("fixed", Decimal("0"), "value"),
        ("free", Decimal("5"), "value_type"),
    ],
)
def test_a_bad_discount_stores_nothing(report, alice, value_type, value, field):
    with pytest.raises(ValidationError) as refused:
        discount_issue(report=report, value_type=value_type, value=value, actor=alice)
    assert field in refused.value.message_dict
    assert not DiscountCode.objects.exists()
    assert not Compensation.objects.filter(kind="discount_code").exists()


def test_an_expiry_in_the_past_is_refused(report, alice):
    with pytest.raises(ValidationError) as refused:
        discount_issue(
            report=report,
            value_type="fixed",
            value=Decimal("10"),
            actor=alice,
            expires_at=timezone.now() - timedelta(days=1),
        )
    assert "expires_at" in refused.value.message_dict


def test_the_shopify_adapter_makes_a_price_rule_and_its_code(report, alice):
    fake = FakeShopify()
    discount = discount_issue(
        report=report,
        value_type="fixed",
        value=Decimal("10"),
        actor=alice,
        adapter=ShopifyAdapter(transport=fake),
    )
    assert discount.external_reference == "507328175/1054381139"
    (m1, p1, rule), (m2, p2, code) = fake.calls
    assert (m1, p1, m2, p2) == (
        "POST",
        "/price_rules.json",
        "POST",
        "/price_rules/507328175/discount_codes.json",
    )
    assert rule["price_rule"]["value_type"] == "fixed_amount"
    assert rule["price_rule"]["value"] == "-10.00"
    assert rule["price_rule"]["usage_limit"] == 1
    assert code == {"discount_code": {"code": discount.code}}


def test_the_shop_refusing_the_code_stores_nothing(report, alice):
    with pytest.raises(DiscountPushFailed, match="must be unique"):
        discount_issue(
            report=report,
            value_type="fixed",
            value=Decimal("10"),
            actor=alice,
            adapter=ShopifyAdapter(transport=FakeShopify(fail_code=True)),
        )
    assert not DiscountCode.objects.exists()
    assert not Compensation.objects.filter(kind="discount_code").exists()


def test_a_percentage_price_rule():
    from wrong_items.discounts import DiscountSpec

    now = timezone.now()
    body = price_rule_body(
        DiscountSpec("SORRY-X", "percentage", Decimal("15"), "EUR", now, now, "t")
    )
    assert (body["price_rule"]["value_type"], body["price_rule"]["value"]) == (
        "percentage",
        "-15.00",
    )


def test_a_discount_above_the_approval_limit_needs_a_supervisor(report, alice, settings):
    from tests.tickets.factories import supervisor
    from tickets.errors import NotAllowed

    settings.COMPENSATION_APPROVAL_THRESHOLD = Decimal("20")
    with pytest.raises(NotAllowed, match="supervisor"):
        discount_issue(report=report, value_type="fixed", value=Decimal("30"), actor=alice)
    assert not DiscountCode.objects.exists()
    assert not Compensation.objects.filter(kind="discount_code").exists()
    boss = supervisor(username="sue")
    discount = discount_issue(report=report, value_type="fixed", value=Decimal("30"), actor=boss)
    assert discount.compensation.status == Compensation.Status.ISSUED
    assert discount.compensation.approved_by == boss
