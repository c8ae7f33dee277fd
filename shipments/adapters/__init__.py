"""Polling adapters: where tracking comes from for carriers that send no webhook.

An adapter answers one question, `fetch(tracking_number, shipped_at=...)`: every event the
carrier knows of for that parcel so far, already mapped onto the normalised status set. It
raises `AdapterError` (and nothing else) when the carrier cannot answer now (timeout, 5xx,
refused credentials): the poller backs off for the whole carrier. A carrier that has never
heard of the number answers with no events; detection then flags it as unknown.

Adapters are found by carrier code in settings.SHIPMENTS_POLL_ADAPTERS (code → dotted path of
the adapter class); the deterministic simulator (simulator.py) is registered as "simulator"."""

from .registry import AdapterError, TrackingAdapter, adapter_for, adapters_configured

__all__ = ["AdapterError", "TrackingAdapter", "adapter_for", "adapters_configured"]
