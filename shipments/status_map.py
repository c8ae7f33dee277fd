"""Every source's statuses mapped onto ours (ShipmentStatus) and, where the source says why a
parcel stalls, onto an IncidentReason. Pure functions: nothing here touches the database.

Sources: AfterShip's delivery statuses (`tag`) and sub-statuses (`subtag`), EasyPost's
Tracker `status` and `status_detail`, and karrio's tracker statuses and incident reasons. A
code the tables do not know maps to "unknown", and the caller keeps the raw code
(`Mapped.raw`) on the event. The README's "Shipments: tracking statuses" shows these tables.
"""

from dataclasses import dataclass

from shipments.models import IncidentReason, Shipment, ShipmentStatus

S = ShipmentStatus
R = IncidentReason


@dataclass(frozen=True)
class Mapped:
    """A source's status as ours: `raw` is the source's code as received ("tag/subtag",
    "status/status_detail"), kept on the event."""

    status: str
    reason: str = ""
    raw: str = ""


# --- AfterShip: https://www.aftership.com/docs/tracking/enum/delivery-statuses and
# .../delivery-sub-statuses. The tag gives the status; a subtag refines it where it says more.
AFTERSHIP_TAGS: dict[str, str] = {
    "Pending": S.PENDING,
    "InfoReceived": S.INFO_RECEIVED,
    "InTransit": S.IN_TRANSIT,
    "OutForDelivery": S.OUT_FOR_DELIVERY,
    "AttemptFail": S.DELIVERY_FAILED,
    "Delivered": S.DELIVERED,
    "AvailableForPickup": S.AVAILABLE_FOR_PICKUP,
    "Exception": S.EXCEPTION,
    # No tracking information for 30 days after the number was added: the carrier never heard
    # of it, or stopped telling. Detection decides whether that means lost.
    "Expired": S.EXCEPTION,
}

AFTERSHIP_SUBTAGS: dict[str, tuple[str, str]] = {
    "InTransit_006": (S.CUSTOMS_HOLD, ""),  # customs clearance started
    "OutForDelivery_003": (S.OUT_FOR_DELIVERY, ""),
    "AttemptFail_001": (S.DELIVERY_FAILED, ""),
    "AttemptFail_002": (S.DELIVERY_FAILED, R.RECIPIENT_UNAVAILABLE),
    "AttemptFail_003": (S.DELIVERY_FAILED, R.RECIPIENT_UNAVAILABLE),  # business closed
    "Exception_002": (S.EXCEPTION, R.ADDRESS),  # customer moved
    "Exception_003": (S.EXCEPTION, R.REFUSED),
    "Exception_004": (S.CUSTOMS_HOLD, R.CUSTOMS_DELAY),
    "Exception_005": (S.EXCEPTION, R.CARRIER_DELAY),  # delayed by external factors
    "Exception_006": (S.CUSTOMS_HOLD, R.CUSTOMS_DUTIES),  # held for payment
    "Exception_007": (S.EXCEPTION, R.ADDRESS),  # incorrect address
    "Exception_008": (S.DELIVERY_FAILED, R.RECIPIENT_UNAVAILABLE),  # pick-up missed
    "Exception_009": (S.EXCEPTION, R.OTHER),  # rejected by the carrier
    "Exception_010": (S.RETURN_TO_SENDER, ""),
    "Exception_011": (S.RETURN_TO_SENDER, ""),
    "Exception_012": (S.EXCEPTION, R.DAMAGED),
    "Exception_013": (S.LOST, R.LOST),
}


def from_aftership(tag: object, subtag: object = "") -> Mapped:
    """AfterShip's `tag` and `subtag` ("InTransit", "InTransit_006") as ours."""
    tag_text = tag.strip() if isinstance(tag, str) else ""
    subtag_text = subtag.strip() if isinstance(subtag, str) else ""
    raw = "/".join(part for part in (tag_text, subtag_text) if part)
    if subtag_text in AFTERSHIP_SUBTAGS:
        status, reason = AFTERSHIP_SUBTAGS[subtag_text]
        return Mapped(status, reason, raw)
    return Mapped(AFTERSHIP_TAGS.get(tag_text, S.UNKNOWN), "", raw)


# --- EasyPost: the Tracker object's `status` and `status_detail`
# (https://docs.easypost.com/docs/trackers). status_detail refines where it says more.
EASYPOST_STATUSES: dict[str, str] = {
    "unknown": S.UNKNOWN,
    "pre_transit": S.PENDING,
    "in_transit": S.IN_TRANSIT,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "delivered": S.DELIVERED,
    "available_for_pickup": S.AVAILABLE_FOR_PICKUP,
    "return_to_sender": S.RETURN_TO_SENDER,
    "failure": S.EXCEPTION,
    "cancelled": S.CANCELLED,
    "error": S.EXCEPTION,
}

EASYPOST_DETAILS: dict[str, tuple[str | None, str]] = {
    # None keeps the status's own mapping and only adds the reason.
    "address_correction": (None, R.ADDRESS),
    "damaged": (S.EXCEPTION, R.DAMAGED),
    "delayed": (None, R.CARRIER_DELAY),
    "delivery_exception": (S.DELIVERY_FAILED, ""),
    "held": (S.CUSTOMS_HOLD, R.CUSTOMS_DELAY),
    "lost": (S.LOST, R.LOST),
    "missorted": (None, R.CARRIER_DELAY),
    "refused": (S.RETURN_TO_SENDER, R.REFUSED),
    "return": (S.RETURN_TO_SENDER, ""),
    "weather_delay": (None, R.WEATHER),
    "label_created": (S.PENDING, ""),
    "awaiting_information": (None, R.OTHER),
}


def from_easypost(status: object, status_detail: object = "") -> Mapped:
    """EasyPost's tracker or tracking-detail `status` and `status_detail` as ours."""
    status_text = status.strip() if isinstance(status, str) else ""
    detail_text = status_detail.strip() if isinstance(status_detail, str) else ""
    raw = "/".join(part for part in (status_text, detail_text) if part)
    mapped = EASYPOST_STATUSES.get(status_text, S.UNKNOWN)
    override, reason = EASYPOST_DETAILS.get(detail_text, (None, ""))
    if override is not None and mapped not in (S.DELIVERED, S.CANCELLED):
        mapped = override
    return Mapped(mapped, reason, raw)


# --- karrio: its TrackerStatus and TrackingIncidentReason enumerations (karrio.core.units).
KARRIO_STATUSES: dict[str, str] = {
    "pending": S.PENDING,
    "unknown": S.UNKNOWN,
    "on_hold": S.CUSTOMS_HOLD,
    "cancelled": S.CANCELLED,
    "delivered": S.DELIVERED,
    "in_transit": S.IN_TRANSIT,
    "delivery_delayed": S.IN_TRANSIT,
    "out_for_delivery": S.OUT_FOR_DELIVERY,
    "ready_for_pickup": S.AVAILABLE_FOR_PICKUP,
    "delivery_failed": S.DELIVERY_FAILED,
    "return_to_sender": S.RETURN_TO_SENDER,
}

KARRIO_REASONS: dict[str, str] = {
    "carrier_damaged_parcel": R.DAMAGED,
    "carrier_sorting_error": R.CARRIER_DELAY,
    "carrier_address_not_found": R.ADDRESS,
    "carrier_parcel_lost": R.LOST,
    "carrier_not_enough_time": R.CARRIER_DELAY,
    "carrier_vehicle_issue": R.CARRIER_DELAY,
    "consignee_refused": R.REFUSED,
    "consignee_business_closed": R.RECIPIENT_UNAVAILABLE,
    "consignee_not_available": R.RECIPIENT_UNAVAILABLE,
    "consignee_not_home": R.RECIPIENT_UNAVAILABLE,
    "consignee_incorrect_address": R.ADDRESS,
    "consignee_access_restricted": R.ADDRESS,
    "customs_delay": R.CUSTOMS_DELAY,
    "customs_documentation": R.CUSTOMS_DOCUMENTS,
    "customs_duties_unpaid": R.CUSTOMS_DUTIES,
    "customs_inspection": R.CUSTOMS_INSPECTION,
    "weather_delay": R.WEATHER,
    "natural_disaster": R.WEATHER,
    "unknown": R.OTHER,
}

CUSTOMS_REASONS = frozenset(
    {R.CUSTOMS_DELAY, R.CUSTOMS_DOCUMENTS, R.CUSTOMS_DUTIES, R.CUSTOMS_INSPECTION}
)


def from_karrio(status: object, incident_reason: object = "") -> Mapped:
    """karrio's tracker `status` and event `reason` as ours. A customs reason on any status
    but delivered is a customs hold; a lost parcel is lost."""
    status_text = status.strip() if isinstance(status, str) else ""
    reason_text = incident_reason.strip() if isinstance(incident_reason, str) else ""
    raw = "/".join(part for part in (status_text, reason_text) if part)
    mapped = KARRIO_STATUSES.get(status_text, S.UNKNOWN)
    reason = KARRIO_REASONS.get(reason_text, "")
    if mapped not in (S.DELIVERED, S.CANCELLED):
        if reason in CUSTOMS_REASONS:
            mapped = S.CUSTOMS_HOLD
        elif reason == R.LOST:
            mapped = S.LOST
    return Mapped(mapped, reason, raw)


# --- Shopify: a Fulfillment's `shipment_status` and a FulfillmentEvent's `status`
# (https://shopify.dev/docs/api/admin-rest/latest/resources/fulfillmentevent).
SHOPIFY_STATUSES: dict[str, tuple[str, str]] = {
    "label_printed": (S.PENDING, ""),
    "label_purchased": (S.PENDING, ""),
    "confirmed": (S.INFO_RECEIVED, ""),
    "carrier_picked_up": (S.IN_TRANSIT, ""),
    "picked_up": (S.IN_TRANSIT, ""),
    "in_transit": (S.IN_TRANSIT, ""),
    "delayed": (S.IN_TRANSIT, R.CARRIER_DELAY),
    "out_for_delivery": (S.OUT_FOR_DELIVERY, ""),
    "attempted_delivery": (S.DELIVERY_FAILED, ""),
    "ready_for_pickup": (S.AVAILABLE_FOR_PICKUP, ""),
    "delivered": (S.DELIVERED, ""),
    "failure": (S.EXCEPTION, ""),
}


def from_shopify(status: object) -> Mapped:
    """Shopify's fulfilment shipment status as ours."""
    text = status.strip() if isinstance(status, str) else ""
    mapped, reason = SHOPIFY_STATUSES.get(text, (S.UNKNOWN, ""))
    return Mapped(mapped, reason, text)


def from_ours(status: object, incident_reason: object = "") -> Mapped:
    """Our own codes (generic webhook, API, simulator): kept when known, else "unknown" (the
    reason: "" when unknown)."""
    status_text = status.strip() if isinstance(status, str) else ""
    reason_text = incident_reason.strip() if isinstance(incident_reason, str) else ""
    mapped = status_text if status_text in S.values else S.UNKNOWN
    reason = reason_text if reason_text in R.values else ""
    return Mapped(mapped, reason, status_text)


def customs_state_for(status: str, reason: str) -> str:
    """Shipment.customs_state for an event of `status` and `reason`; "" when it says nothing
    about customs."""
    if status != S.CUSTOMS_HOLD and reason not in CUSTOMS_REASONS:
        return ""
    return {
        R.CUSTOMS_DOCUMENTS: Shipment.Customs.DOCUMENTS,
        R.CUSTOMS_DUTIES: Shipment.Customs.DUTIES,
        R.CUSTOMS_INSPECTION: Shipment.Customs.INSPECTION,
    }.get(reason, Shipment.Customs.HELD)
