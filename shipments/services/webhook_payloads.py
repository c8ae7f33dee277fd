"""The tracking webhooks' formats: each provider's signature check and the mapping of its body
onto TrackingIn for the intake. Pure functions: nothing here touches the database.

- EasyPost: an Event object (`tracker.created`, `tracker.updated`) with the Tracker in
  `result`; signed in `X-Hmac-Signature` as "hmac-sha256-hex=" + the hex HMAC-SHA256 of the
  body, keyed with the webhook secret NFKD-normalised (as EasyPost's client libraries check).
- AfterShip: an envelope {event, event_id, is_tracking_first_tag, msg, ts} with the Tracking
  object in `msg`; signed in `aftership-hmac-sha256` as the base64 HMAC-SHA256 of the body.
- Ours ("generic"): one event object or {"events": [...]} (at most MAX_GENERIC_EVENTS), signed
  in `X-Signature` as the hex HMAC-SHA256 of the body (README, "Shipments: tracking intake").
"""

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from shipments.services.carriers import carrier_code
from shipments.status_map import Mapped, from_aftership, from_easypost, from_ours
from shipments.tracking import EventIn, TrackingIn
from tickets.errors import ApplicationError
from tickets.webhooks.payloads import json_object

MAX_GENERIC_EVENTS = 1000
EASYPOST_EVENTS = frozenset({"tracker.created", "tracker.updated"})


class TrackingPayloadInvalid(ApplicationError):
    """The body is JSON but not what the format promises; `errors` names each bad field."""

    code = "invalid_payload"

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(_("The tracking payload is not valid; see errors."))
        self.errors = errors


def payload_parse(body: bytes) -> dict[str, Any]:
    """The JSON object in `body` (NaN and Infinity refused: events keep their raw payload,
    which must stay valid JSON). Raises PayloadNotJson for anything else."""
    return json_object(body)


# --- signatures -------------------------------------------------------------------------------


def easypost_signature_valid(*, body: bytes, signature: str | None, secret: str) -> bool:
    """Whether `signature` is EasyPost's X-Hmac-Signature of `body` with `secret`. Always
    False without a secret or a signature."""
    if not secret or not signature:
        return False
    key = unicodedata.normalize("NFKD", secret).encode()
    expected = "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().encode())


def aftership_signature_valid(*, body: bytes, signature: str | None, secret: str) -> bool:
    """Whether `signature` is AfterShip's aftership-hmac-sha256 of `body` with `secret`
    (base64 of the HMAC-SHA256 digest)."""
    if not secret or not signature:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.strip().encode())


def generic_signature_valid(*, body: bytes, signature: str | None, secret: str) -> bool:
    """Whether `signature` is the hex HMAC-SHA256 of `body` with `secret` (either case)."""
    if not secret or not signature:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


# --- reading ----------------------------------------------------------------------------------


class _Reader:
    """Reads fields and collects every problem, so one answer names them all."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            self.error(path, _("Expected an object."))
            return {}
        return value

    def text(self, value: object, path: str, *, required: bool = False, limit: int = 0) -> str:
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(path, _("This field is required."))
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(path, _("Expected text."))
            return ""
        text = str(value).strip()
        if limit and len(text) > limit:
            self.error(path, _("At most %(limit)d characters.") % {"limit": limit})
            return ""
        return text

    def moment(self, value: object, path: str, *, required: bool = True) -> datetime | None:
        text = self.text(value, path, required=required)
        if not text:
            return None
        try:
            moment = parse_datetime(text)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.error(path, _("Enter a date and time with its UTC offset (ISO 8601)."))
            return None
        return moment

    def day(self, value: object, path: str) -> date | None:
        """A date, or the local date of a date and time ("2024-08-05T00:00:00Z")."""
        text = self.text(value, path)
        if not text:
            return None
        try:
            moment = parse_datetime(text)
            day = moment.date() if moment is not None else parse_date(text)
        except ValueError:
            day = None
        if day is None:
            self.error(path, _("Enter a date (YYYY-MM-DD)."))
        return day

    def check(self) -> None:
        if self.errors:
            raise TrackingPayloadInvalid(self.errors)


def _location(*parts: object) -> str:
    return ", ".join(str(part).strip() for part in parts if isinstance(part, str) and part.strip())


def _latest(events: list[EventIn], estimate: date | None) -> list[EventIn]:
    """`events` with `estimate` on the latest one (the intake takes the newest estimate)."""
    if estimate is None or not events:
        return events
    latest = max(range(len(events)), key=lambda index: events[index].occurred_at)
    event = events[latest]
    events[latest] = EventIn(
        occurred_at=event.occurred_at,
        status=event.status,
        incident_reason=event.incident_reason,
        raw_status=event.raw_status,
        message=event.message,
        location=event.location,
        external_id=event.external_id,
        estimate=estimate,
        payload=event.payload,
    )
    return events


def _event(mapped: Mapped, at: datetime, **kwargs: Any) -> EventIn:
    return EventIn(
        occurred_at=at,
        status=mapped.status,
        incident_reason=mapped.reason,
        raw_status=mapped.raw,
        **kwargs,
    )


# --- EasyPost ---------------------------------------------------------------------------------


def easypost_trackings(payload: Mapping[str, Any]) -> list[TrackingIn] | None:
    """The tracking of an EasyPost Event; None for an event that is not about a tracker (it
    is acknowledged and ignored). Raises TrackingPayloadInvalid naming each bad field."""
    read = _Reader()
    description = read.text(payload.get("description"), "description", required=True)
    read.check()
    if description not in EASYPOST_EVENTS:
        return None
    tracker = read.mapping(payload.get("result"), "result")
    read.check()
    number = read.text(tracker.get("tracking_code"), "result.tracking_code", required=True)
    carrier = read.text(tracker.get("carrier"), "result.carrier")
    details = tracker.get("tracking_details")
    details = [] if details is None else details
    if not isinstance(details, list):
        read.error("result.tracking_details", _("Expected a list."))
        details = []
    events = []
    for index, item in enumerate(details):
        path = f"result.tracking_details[{index}]"
        detail = read.mapping(item, path)
        at = read.moment(detail.get("datetime"), f"{path}.datetime")
        place = detail.get("tracking_location")
        place = place if isinstance(place, Mapping) else {}
        if at is None:
            continue
        events.append(
            _event(
                from_easypost(detail.get("status"), detail.get("status_detail")),
                at,
                message=read.text(detail.get("message"), f"{path}.message")
                or read.text(detail.get("description"), f"{path}.description"),
                location=_location(
                    place.get("city"), place.get("state"), place.get("zip"), place.get("country")
                ),
                payload=dict(detail),
            )
        )
    if not events:
        # A tracker with no history yet (tracker.created): its own status is the one event.
        at = read.moment(tracker.get("updated_at"), "result.updated_at")
        if at is not None:
            events.append(
                _event(
                    from_easypost(tracker.get("status"), tracker.get("status_detail")),
                    at,
                    payload={
                        "status": tracker.get("status"),
                        "status_detail": tracker.get("status_detail"),
                    },
                )
            )
    carrier_detail = tracker.get("carrier_detail")
    carrier_detail = carrier_detail if isinstance(carrier_detail, Mapping) else {}
    estimate = read.day(
        carrier_detail.get("est_delivery_date_local"),
        "result.carrier_detail.est_delivery_date_local",
    ) or read.day(tracker.get("est_delivery_date"), "result.est_delivery_date")
    read.check()
    return [
        TrackingIn(
            tracking_number=number,
            carrier=carrier_code(carrier),
            events=tuple(_latest(events, estimate)),
        )
    ]


# --- AfterShip --------------------------------------------------------------------------------


def _aftership_estimate(tracking: Mapping[str, Any], read: _Reader) -> date | None:
    """AfterShip's current estimate: its latest estimated delivery, else its own predicted
    date, else the carrier's expected delivery."""
    latest = tracking.get("latest_estimated_delivery")
    if isinstance(latest, Mapping) and latest.get("datetime"):
        return read.day(latest.get("datetime"), "msg.latest_estimated_delivery.datetime")
    predicted = tracking.get("aftership_estimated_delivery_date")
    if isinstance(predicted, Mapping) and predicted.get("estimated_delivery_date"):
        return read.day(
            predicted.get("estimated_delivery_date"),
            "msg.aftership_estimated_delivery_date.estimated_delivery_date",
        )
    return read.day(tracking.get("expected_delivery"), "msg.expected_delivery")


def aftership_trackings(payload: Mapping[str, Any]) -> list[TrackingIn]:
    """The tracking of an AfterShip webhook envelope (tracking updates and `edd_revise`
    alike: the tracking in `msg` carries its checkpoints and estimates). Raises
    TrackingPayloadInvalid naming each bad field."""
    read = _Reader()
    read.text(payload.get("event"), "event", required=True)
    tracking = read.mapping(payload.get("msg"), "msg")
    read.check()
    number = read.text(tracking.get("tracking_number"), "msg.tracking_number", required=True)
    slug = read.text(tracking.get("slug"), "msg.slug")
    checkpoints = tracking.get("checkpoints")
    checkpoints = [] if checkpoints is None else checkpoints
    if not isinstance(checkpoints, list):
        read.error("msg.checkpoints", _("Expected a list."))
        checkpoints = []
    events = []
    for index, item in enumerate(checkpoints):
        path = f"msg.checkpoints[{index}]"
        checkpoint = read.mapping(item, path)
        at = read.moment(checkpoint.get("checkpoint_time"), f"{path}.checkpoint_time")
        if at is None:
            continue
        events.append(
            _event(
                from_aftership(checkpoint.get("tag"), checkpoint.get("subtag")),
                at,
                message=read.text(checkpoint.get("message"), f"{path}.message"),
                location=read.text(checkpoint.get("location"), f"{path}.location")
                or _location(
                    checkpoint.get("city"), checkpoint.get("state"), checkpoint.get("country_name")
                ),
                payload=dict(checkpoint),
            )
        )
    if not events:
        at = read.moment(tracking.get("updated_at"), "msg.updated_at")
        if at is not None:
            events.append(
                _event(
                    from_aftership(tracking.get("tag"), tracking.get("subtag")),
                    at,
                    message=read.text(tracking.get("subtag_message"), "msg.subtag_message"),
                    payload={"tag": tracking.get("tag"), "subtag": tracking.get("subtag")},
                )
            )
    estimate = _aftership_estimate(tracking, read)
    read.check()
    return [
        TrackingIn(
            tracking_number=number,
            carrier=carrier_code(slug),
            events=tuple(_latest(events, estimate)),
        )
    ]


# --- ours -------------------------------------------------------------------------------------


def generic_trackings(payload: Mapping[str, Any]) -> list[TrackingIn]:
    """The events of our generic format, one TrackingIn each, in order. Raises
    TrackingPayloadInvalid naming each bad field (paths like "events[3].occurred_at"), so
    nothing of a bad batch is stored."""
    read = _Reader()
    if "events" in payload:
        items = payload.get("events")
        if not isinstance(items, list) or not items:
            read.error("events", _("Expected a list of at least one event."))
            items = []
        elif len(items) > MAX_GENERIC_EVENTS:
            read.error(
                "events",
                _("At most %(limit)d events in one request.") % {"limit": MAX_GENERIC_EVENTS},
            )
            items = []
        paths = [f"events[{index}]" for index in range(len(items))]
    else:
        items, paths = [payload], [""]
    trackings = []
    for item, prefix in zip(items, paths, strict=True):
        path = (prefix + ".") if prefix else ""
        event = read.mapping(item, prefix or "body")
        number = read.text(
            event.get("tracking_number"), f"{path}tracking_number", required=True, limit=64
        )
        carrier = read.text(event.get("carrier"), f"{path}carrier", limit=100)
        at = read.moment(event.get("occurred_at"), f"{path}occurred_at")
        status = read.text(event.get("status"), f"{path}status", required=True, limit=100)
        reason = read.text(event.get("incident_reason"), f"{path}incident_reason", limit=100)
        raw = read.text(event.get("raw_status"), f"{path}raw_status", limit=100)
        message = read.text(event.get("message"), f"{path}message", limit=500)
        location = read.text(event.get("location"), f"{path}location", limit=200)
        external_id = read.text(event.get("id"), f"{path}id", limit=128)
        estimate = read.day(event.get("estimated_delivery"), f"{path}estimated_delivery")
        if at is None or not number or not status:
            continue
        mapped = from_ours(status, reason)
        trackings.append(
            TrackingIn(
                tracking_number=number,
                carrier=carrier_code(carrier),
                events=(
                    EventIn(
                        occurred_at=at,
                        status=mapped.status,
                        incident_reason=mapped.reason,
                        # A status we do not know is kept as the raw code.
                        raw_status=raw or (status if mapped.status != status else ""),
                        message=message,
                        location=location,
                        external_id=external_id,
                        estimate=estimate,
                        payload=dict(event),
                    ),
                ),
            )
        )
    read.check()
    return trackings


# --- by source --------------------------------------------------------------------------------

READERS: dict[str, Callable[[Mapping[str, Any]], list[TrackingIn] | None]] = {
    "easypost": easypost_trackings,
    "aftership": aftership_trackings,
    "generic": generic_trackings,
}


def trackings_read(source: str, body: bytes) -> list[TrackingIn] | None:
    """The trackings in a `source` webhook body (a TrackingEvent.Source with a webhook); None
    for a delivery to acknowledge and ignore. Raises PayloadNotJson or TrackingPayloadInvalid."""
    return READERS[source](payload_parse(body))
