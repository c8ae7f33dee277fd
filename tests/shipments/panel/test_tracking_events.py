"""The shipment panel's tracking history, drawn in Python (shipments/templatetags)."""

from datetime import UTC, datetime

from django.utils import timezone, translation

from shipments.models import ShipmentStatus, TrackingEvent
from shipments.templatetags.shipment_panel import tracking_events


def event(**fields) -> TrackingEvent:
    defaults = {
        "occurred_at": datetime(2026, 3, 14, 13, 5, tzinfo=UTC),
        "status": ShipmentStatus.CUSTOMS_HOLD,
        "message": "Held at customs",
        "location": "Zürich, CH",
        "source": TrackingEvent.Source.EASYPOST,
        "raw_status": "held",
    }
    return TrackingEvent(**{**defaults, **fields})


def test_an_event_says_when_in_the_agent_s_language_and_time_zone():
    # given an event at 13:05 UTC, shown to an agent in German in Berlin (UTC+1 in March)
    with translation.override("de"), timezone.override("Europe/Berlin"):
        html = tracking_events([event()])

    # then its time is Berlin's, in German formats, with the status in German
    assert '<span class="shp-when" title="14. März 2026 14:05">14.03.2026 14:05</span>' in html
    assert '<span class="shp-ev-status">Beim Zoll</span>' in html
    # and the carrier's words, where, the source and the carrier's code follow
    assert '<span class="shp-ev-msg">Held at customs</span>' in html
    assert '<span class="muted">Zürich, CH · EasyPost · held</span>' in html


def test_what_a_carrier_sent_is_escaped_and_missing_parts_are_left_out():
    # given an event whose text came from a carrier's webhook, without a place or a code
    hostile = event(message="<script>x()</script>", location="", raw_status="")

    # when it is drawn
    with translation.override("en"):
        html = tracking_events([hostile])

    # then its text is shown as text, and nothing stands for what it lacks
    assert "<script>" not in html
    assert '<span class="shp-ev-msg">&lt;script&gt;x()&lt;/script&gt;</span>' in html
    assert '<span class="muted">EasyPost</span>' in html


def test_events_keep_their_order_and_an_event_without_words_has_none():
    first = event(message="", raw_status="a1")
    second = event(occurred_at=datetime(2026, 3, 13, 9, 0, tzinfo=UTC), raw_status="b2")
    with translation.override("en"):
        html = tracking_events([first, second])
    assert html.count("<li>") == 2
    assert html.index("a1") < html.index("b2")
    assert html.count("shp-ev-msg") == 1
    assert tracking_events([]) == ""
