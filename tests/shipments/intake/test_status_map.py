"""Every source's statuses onto ours: the providers' published codes, and unknown ones kept raw."""

import pytest

from shipments import status_map
from shipments.models import IncidentReason as R
from shipments.models import Shipment
from shipments.models import ShipmentStatus as S
from shipments.status_map import (
    Mapped,
    customs_state_for,
    from_aftership,
    from_easypost,
    from_karrio,
    from_ours,
    from_shopify,
)


@pytest.mark.parametrize(
    ("tag", "subtag", "expected"),
    [
        ("Pending", "Pending_001", Mapped(S.PENDING, "", "Pending/Pending_001")),
        (
            "InfoReceived",
            "InfoReceived_001",
            Mapped(S.INFO_RECEIVED, "", "InfoReceived/InfoReceived_001"),
        ),
        ("InTransit", "InTransit_002", Mapped(S.IN_TRANSIT, "", "InTransit/InTransit_002")),
        ("InTransit", "InTransit_006", Mapped(S.CUSTOMS_HOLD, "", "InTransit/InTransit_006")),
        (
            "OutForDelivery",
            "OutForDelivery_001",
            Mapped(S.OUT_FOR_DELIVERY, "", "OutForDelivery/OutForDelivery_001"),
        ),
        (
            "AttemptFail",
            "AttemptFail_002",
            Mapped(S.DELIVERY_FAILED, R.RECIPIENT_UNAVAILABLE, "AttemptFail/AttemptFail_002"),
        ),
        (
            "AvailableForPickup",
            "AvailableForPickup_001",
            Mapped(S.AVAILABLE_FOR_PICKUP, "", "AvailableForPickup/AvailableForPickup_001"),
        ),
        ("Delivered", "Delivered_003", Mapped(S.DELIVERED, "", "Delivered/Delivered_003")),
        ("Exception", "Exception_003", Mapped(S.EXCEPTION, R.REFUSED, "Exception/Exception_003")),
        (
            "Exception",
            "Exception_004",
            Mapped(S.CUSTOMS_HOLD, R.CUSTOMS_DELAY, "Exception/Exception_004"),
        ),
        (
            "Exception",
            "Exception_006",
            Mapped(S.CUSTOMS_HOLD, R.CUSTOMS_DUTIES, "Exception/Exception_006"),
        ),
        ("Exception", "Exception_007", Mapped(S.EXCEPTION, R.ADDRESS, "Exception/Exception_007")),
        ("Exception", "Exception_011", Mapped(S.RETURN_TO_SENDER, "", "Exception/Exception_011")),
        ("Exception", "Exception_012", Mapped(S.EXCEPTION, R.DAMAGED, "Exception/Exception_012")),
        ("Exception", "Exception_013", Mapped(S.LOST, R.LOST, "Exception/Exception_013")),
        ("Expired", "Expired_001", Mapped(S.EXCEPTION, "", "Expired/Expired_001")),
        ("Warped", "", Mapped(S.UNKNOWN, "", "Warped")),
        (None, None, Mapped(S.UNKNOWN, "", "")),
    ],
)
def test_aftership(tag, subtag, expected):
    assert from_aftership(tag, subtag) == expected


@pytest.mark.parametrize(
    ("status", "detail", "expected"),
    [
        ("pre_transit", "label_created", Mapped(S.PENDING, "", "pre_transit/label_created")),
        (
            "in_transit",
            "arrived_at_facility",
            Mapped(S.IN_TRANSIT, "", "in_transit/arrived_at_facility"),
        ),
        (
            "in_transit",
            "weather_delay",
            Mapped(S.IN_TRANSIT, R.WEATHER, "in_transit/weather_delay"),
        ),
        ("in_transit", "held", Mapped(S.CUSTOMS_HOLD, R.CUSTOMS_DELAY, "in_transit/held")),
        ("out_for_delivery", "", Mapped(S.OUT_FOR_DELIVERY, "", "out_for_delivery")),
        (
            "available_for_pickup",
            "arrived_at_pickup_location",
            Mapped(S.AVAILABLE_FOR_PICKUP, "", "available_for_pickup/arrived_at_pickup_location"),
        ),
        (
            "delivered",
            "arrived_at_destination",
            Mapped(S.DELIVERED, "", "delivered/arrived_at_destination"),
        ),
        (
            "failure",
            "delivery_exception",
            Mapped(S.DELIVERY_FAILED, "", "failure/delivery_exception"),
        ),
        (
            "failure",
            "address_correction",
            Mapped(S.EXCEPTION, R.ADDRESS, "failure/address_correction"),
        ),
        (
            "return_to_sender",
            "refused",
            Mapped(S.RETURN_TO_SENDER, R.REFUSED, "return_to_sender/refused"),
        ),
        ("failure", "lost", Mapped(S.LOST, R.LOST, "failure/lost")),
        ("error", "", Mapped(S.EXCEPTION, "", "error")),
        ("cancelled", "", Mapped(S.CANCELLED, "", "cancelled")),
        ("unknown", "status_update", Mapped(S.UNKNOWN, "", "unknown/status_update")),
        ("beamed", "", Mapped(S.UNKNOWN, "", "beamed")),
    ],
)
def test_easypost(status, detail, expected):
    assert from_easypost(status, detail) == expected


@pytest.mark.parametrize(
    ("status", "reason", "expected"),
    [
        ("pending", "", Mapped(S.PENDING, "", "pending")),
        ("in_transit", "", Mapped(S.IN_TRANSIT, "", "in_transit")),
        ("on_hold", "", Mapped(S.CUSTOMS_HOLD, "", "on_hold")),
        (
            "delivery_delayed",
            "weather_delay",
            Mapped(S.IN_TRANSIT, R.WEATHER, "delivery_delayed/weather_delay"),
        ),
        (
            "in_transit",
            "customs_documentation",
            Mapped(S.CUSTOMS_HOLD, R.CUSTOMS_DOCUMENTS, "in_transit/customs_documentation"),
        ),
        (
            "delivery_failed",
            "consignee_not_home",
            Mapped(
                S.DELIVERY_FAILED, R.RECIPIENT_UNAVAILABLE, "delivery_failed/consignee_not_home"
            ),
        ),
        (
            "in_transit",
            "carrier_parcel_lost",
            Mapped(S.LOST, R.LOST, "in_transit/carrier_parcel_lost"),
        ),
        ("ready_for_pickup", "", Mapped(S.AVAILABLE_FOR_PICKUP, "", "ready_for_pickup")),
        (
            "return_to_sender",
            "consignee_refused",
            Mapped(S.RETURN_TO_SENDER, R.REFUSED, "return_to_sender/consignee_refused"),
        ),
        (
            "delivered",
            "customs_delay",
            Mapped(S.DELIVERED, R.CUSTOMS_DELAY, "delivered/customs_delay"),
        ),
        ("cancelled", "", Mapped(S.CANCELLED, "", "cancelled")),
        ("levitating", "", Mapped(S.UNKNOWN, "", "levitating")),
    ],
)
def test_karrio(status, reason, expected):
    assert from_karrio(status, reason) == expected


def test_shopify_and_ours():
    # Shopify's sample FulfillmentEvent is "label_printed"
    assert from_shopify("label_printed") == Mapped(S.PENDING, "", "label_printed")
    assert from_shopify("attempted_delivery").status == S.DELIVERY_FAILED
    assert from_shopify("nope") == Mapped(S.UNKNOWN, "", "nope")
    assert from_ours("customs_hold", "customs_duties") == Mapped(
        S.CUSTOMS_HOLD, R.CUSTOMS_DUTIES, "customs_hold"
    )
    assert from_ours("ZOLL", "weird") == Mapped(S.UNKNOWN, "", "ZOLL")


def test_every_mapping_lands_in_our_status_set():
    ours = set(S.values)
    tables = [
        status_map.AFTERSHIP_TAGS.values(),
        [status for status, _reason in status_map.AFTERSHIP_SUBTAGS.values()],
        status_map.EASYPOST_STATUSES.values(),
        [status for status, _reason in status_map.EASYPOST_DETAILS.values() if status],
        status_map.KARRIO_STATUSES.values(),
        [status for status, _reason in status_map.SHOPIFY_STATUSES.values()],
    ]
    assert all(set(table) <= ours for table in tables)
    reasons = set(R.values)
    assert set(status_map.KARRIO_REASONS.values()) <= reasons


@pytest.mark.parametrize(
    ("status", "reason", "state"),
    [
        (S.CUSTOMS_HOLD, "", Shipment.Customs.HELD),
        (S.CUSTOMS_HOLD, R.CUSTOMS_DOCUMENTS, Shipment.Customs.DOCUMENTS),
        (S.EXCEPTION, R.CUSTOMS_INSPECTION, Shipment.Customs.INSPECTION),
        (S.IN_TRANSIT, "", ""),
    ],
)
def test_customs_state(status, reason, state):
    assert customs_state_for(status, reason) == state
