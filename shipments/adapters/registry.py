"""The adapter interface and the registry by carrier code (settings.SHIPMENTS_POLL_ADAPTERS)."""

from datetime import datetime
from functools import cache
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from shipments.tracking import EventIn


class AdapterError(Exception):
    """The carrier could not answer now (timeout, server error, credentials refused); the poller
    pauses the whole carrier for a while. Never raised for an unknown tracking number."""


class TrackingAdapter(Protocol):
    """A carrier's tracking, polled. `source` is the TrackingEvent.Source its events are stored
    under ("poll" for real carriers, "simulator" for the simulator)."""

    source: ClassVar[str]

    def fetch(self, tracking_number: str, *, shipped_at: datetime | None = None) -> list[EventIn]:
        """Every event the carrier has for `tracking_number` so far, oldest first, with stable
        external ids (a second fetch returns the same events again, and more). Raises
        AdapterError if the carrier cannot answer now."""
        ...


def adapters_configured() -> dict[str, str]:
    """Carrier code → dotted path of its adapter class, as configured."""
    return dict(settings.SHIPMENTS_POLL_ADAPTERS)


@cache
def _load(path: str) -> TrackingAdapter:
    adapter: TrackingAdapter = import_string(path)()
    return adapter


def adapter_for(carrier_code: str) -> TrackingAdapter | None:
    """The polling adapter of the carrier `carrier_code`, or None if it has none (its tracking
    comes from webhooks or the API only)."""
    path = adapters_configured().get(carrier_code)
    return _load(path) if path else None
