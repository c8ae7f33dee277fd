import datetime

import factory
from django.utils import timezone

from shipments.models import Carrier, Shipment, ShipmentStatus, TrackingEvent
from tests.tickets.factories import OrderFactory


class CarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Carrier
        django_get_or_create = ("code",)

    code = "dhl_express"
    name = "DHL Express"
    tracking_url = "https://www.dhl.com/track?tracking-id={tracking_number}"


class ShipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory)
    carrier = factory.SubFactory(CarrierFactory)
    tracking_number = factory.Sequence(lambda n: f"JD0146000{n:06d}")
    status = ShipmentStatus.IN_TRANSIT
    shipped_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=2))
    promised_delivery_date = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=3)).date()
    )
    origin_country = "DE"
    destination_country = factory.LazyAttribute(lambda s: s.order.shipping_country or "FR")


class TrackingEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrackingEvent

    shipment = factory.SubFactory(ShipmentFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    status = ShipmentStatus.IN_TRANSIT
    raw_status = "transit"
    message = "Processed at sort facility"
    location = "Leipzig, DE"
    source = TrackingEvent.Source.SIMULATOR
    external_id = factory.Sequence(lambda n: f"evt-{n}")
