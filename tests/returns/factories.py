import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from returns.models import ReturnPolicy, SpecialWindow
from shipments.models import ShipmentStatus
from tests.shipments.factories import ShipmentFactory
from tests.tickets.factories import OrderFactory, OrderLineFactory

BERLIN = datetime.timezone(datetime.timedelta(hours=1))


class ReturnPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReturnPolicy

    name = factory.Sequence(lambda n: f"Policy {n}")
    country = ""
    window_days = 30
    grace_days = 7
    photos_required_for_defect = True
    auto_approve_max_value = Decimal("200.00")


class SpecialWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpecialWindow

    policy = factory.SubFactory(ReturnPolicyFactory)
    name = "Holiday season"
    purchased_from = datetime.date(2026, 11, 15)
    purchased_until = datetime.date(2026, 12, 24)
    returnable_until = datetime.date(2027, 1, 15)


def noon(day: datetime.date) -> datetime.datetime:
    """Midday in Berlin (winter time) on `day`, the factory customers' time zone."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=BERLIN)


def order_line(
    *,
    placed: datetime.date,
    country: str = "DE",
    delivered: datetime.date | None = None,
    sku: str = "KETTLE-1",
    category: str = "",
    quantity: int = 1,
    unit_price: str = "50.00",
    **order,
):
    """An order line of an order placed at noon on `placed`, shipped to `country`, with a
    delivered parcel on `delivered` (none without)."""
    line = OrderLineFactory(
        order=OrderFactory(placed_at=noon(placed), shipping_country=country, **order),
        sku=sku,
        category=category,
        quantity=quantity,
        unit_price=Decimal(unit_price),
    )
    if delivered is not None:
        ShipmentFactory(
            order=line.order,
            status=ShipmentStatus.DELIVERED,
            shipped_at=noon(placed),
            delivered_at=noon(delivered),
        )
    return line


__all__ = ["ReturnPolicyFactory", "SpecialWindowFactory", "order_line", "noon", "timezone"]
