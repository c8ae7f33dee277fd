"""The fast output serializers (tickets/api/serializers/fast.py) render exactly what DRF's
`serializers.Serializer.to_representation` renders: the same JSON bytes, on rich rows read
through the API's own querysets, in several time zones and with DRF's fallbacks."""

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from tests.tickets.factories import CaseFactory, OrderLineFactory, TagFactory, agent, superuser
from tickets import selectors
from tickets.api import serializers as s
from tickets.api.serializers.fast import FastOutputSerializer
from tickets.models import Attachment, Case, CaseEvent, Compensation, Message, Team

ZONES = ["UTC", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham"]
KOLKATA = ZoneInfo("Asia/Kolkata")


def rendered(serializer_class, rows) -> bytes:
    return JSONRenderer().render(serializer_class(rows, many=True).data)


def assert_same_as_drf(serializer_class, rows, monkeypatch) -> bytes:
    """The fast JSON of `rows`, after checking it is DRF's to the byte."""
    fast = rendered(serializer_class, rows)
    with monkeypatch.context() as patch:
        patch.setattr(
            FastOutputSerializer, "to_representation", serializers.Serializer.to_representation
        )
        standard = rendered(serializer_class, rows)
    assert fast == standard
    return fast


@pytest.fixture
def rich(db):
    """Cases with and without order, assignee, team and tags; non-ASCII text; times stored
    from several zones, with microseconds; compensations in JPY and KWD; messages with and
    without author and attachments; events with and without actor."""
    ana = agent(username="ana-łódź")
    team = Team.objects.create(name="DACH — Süd")
    full = CaseFactory(
        customer__name="Zoë Ångström 山田",
        subject="Wasserkocher heizt nicht — «défaut» 壊れた",
        assignee=ana,
        team=team,
        priority=Case.Priority.URGENT,
        first_response_due=datetime(2026, 3, 29, 0, 30, 15, 123456, tzinfo=KOLKATA),
        resolved_at=datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )
    full.tags.add(TagFactory(name="größe"), TagFactory(name="vip"))
    bare = CaseFactory(order=None, customer__name="", subject="x")
    OrderLineFactory(order=full.order, title="Kessel „Deluxe“", unit_price=Decimal("19.999"))
    OrderLineFactory(order=full.order, quantity=3, discount=Decimal("0.5"))
    for case, amount, currency in ((full, "1234", "JPY"), (bare, "1.25", "KWD")):
        Compensation.objects.create(
            case=case,
            kind=Compensation.Kind.REFUND,
            amount=Decimal(amount),
            currency=currency,
            base_amount=Decimal("7.56"),
            base_currency="EUR",
            exchange_rate=Decimal("0.00612345"),
            note="für Frau Müller",
            proposed_by=ana if case is full else None,
        )
    written = Message.objects.create(
        case=full, author_kind=Message.Author.AGENT, author_user=ana, body="Grüße 🙂"
    )
    Attachment.objects.create(
        message=written, file="a.txt", filename="ä.txt", content_type="text/plain", size=7
    )
    Message.objects.create(case=full, author_kind=Message.Author.CUSTOMER, body="")
    CaseEvent.objects.create(case=full, verb="status_changed", actor=ana, data={"to": "öffnen"})
    CaseEvent.objects.create(case=full, verb="note", data={})
    return full, bare


@pytest.mark.parametrize("zone", ZONES)
def test_every_switched_serializer_renders_drf_s_json(rich, zone, monkeypatch):
    # given rich rows read as the API reads them
    full, bare = rich
    user = superuser(username="reader")
    outputs = [
        (s.CaseOutputSerializer, list(selectors.case_page(user=user))),
        (s.CaseOutputSerializer, [selectors.case_written(case=full)]),
        (s.OrderOutputSerializer, list(selectors.order_list_for(user=user))),
        (s.CustomerOutputSerializer, list(selectors.customer_list_for(user=user))),
        (s.MessageOutputSerializer, list(selectors.message_list(case=full))),
        (s.CaseEventOutputSerializer, list(selectors.case_event_list(case=full))),
        (s.CompensationOutputSerializer, list(Compensation.objects.order_by("pk"))),
    ]
    # when each is rendered in the zone
    with timezone.override(zone):
        # then the fast JSON is DRF's
        for serializer_class, rows in outputs:
            assert rows
            assert_same_as_drf(serializer_class, rows, monkeypatch)


def test_the_rows_hold_what_the_comparison_needs(rich, monkeypatch):
    # given the rich cases, in Kolkata
    user = superuser(username="reader")
    with timezone.override("Asia/Kolkata"):
        # when they are rendered
        cases = assert_same_as_drf(
            s.CaseOutputSerializer, list(selectors.case_page(user=user)), monkeypatch
        ).decode()
    # then nulls, nested nulls, tags, local times and non-ASCII text are all in it
    assert '"order":null' in cases and '"assignee":null' in cases and '"team":null' in cases
    assert '"tags":["größe","vip"]' in cases
    assert '"first_response_due":"2026-03-29T00:30:15.123456+05:30"' in cases
    assert '"resolved_at":"2026-10-25T07:00:00+05:30"' in cases
    assert "山田" in cases


def test_utc_times_end_in_z(rich, monkeypatch):
    user = superuser(username="reader")
    with timezone.override("UTC"):
        cases = assert_same_as_drf(
            s.CaseOutputSerializer, list(selectors.case_page(user=user)), monkeypatch
        )
    assert b'"resolved_at":"2026-10-25T01:30:00Z"' in cases


def test_values_the_fast_path_does_not_take_are_drf_s_too(rich, monkeypatch):
    # given a case in memory holding an enum member, a naive time, a dict instance and a
    # missing nullable relation
    full, _bare = rich
    case = selectors.case_written(case=full)
    case.status = Case.Status.OPEN
    case.closed_at = datetime(2026, 1, 1, 12, 0)  # noqa: DTZ001 - DRF makes it aware
    # then each renders as DRF renders it
    assert_same_as_drf(s.CaseOutputSerializer, [case], monkeypatch)
    as_dict = {"id": 1, "username": "ana", "extra": "ignored"}
    assert s.UserSummarySerializer(as_dict).data == {"id": 1, "username": "ana"}
    event = CaseEvent(case=full, verb="note", data={}, created_at=timezone.now())
    assert_same_as_drf(s.CaseEventOutputSerializer, [event], monkeypatch)


@override_settings(
    REST_FRAMEWORK={"DATETIME_FORMAT": "%d.%m.%Y %H:%M", "COERCE_DECIMAL_TO_STRING": False}
)
def test_drf_settings_for_times_and_decimals_are_followed(rich, monkeypatch):
    # given DRF set to another time format and decimals as numbers
    # when compensations and cases render
    user = superuser(username="reader")
    compensations = assert_same_as_drf(
        s.CompensationOutputSerializer, list(Compensation.objects.order_by("pk")), monkeypatch
    )
    cases = assert_same_as_drf(
        s.CaseOutputSerializer, list(selectors.case_page(user=user)), monkeypatch
    )
    # then both follow the settings
    assert b'"exchange_rate":0.00612345' in compensations
    assert b'"resolved_at":"25.10.2026 01:30"' in cases


def test_a_case_page_loads_only_the_summaries_columns(rich):
    user = superuser(username="reader")
    case = selectors.case_page(user=user).get(pk=rich[0].pk)
    assert case.customer.get_deferred_fields() >= {"phone", "timezone"}
    assert case.assignee.get_deferred_fields() >= {"password", "email"}
    assert case.get_deferred_fields() == set()


def test_a_page_renders_without_building_the_serializers_fields(rich):
    # given a page of cases, whose every field the fast path knows, rendered once before (the
    # first page of a process reads the declared fields)
    user = superuser(username="reader")
    rows = list(selectors.case_page(user=user))
    assert s.CaseOutputSerializer(rows, many=True).data
    page = s.CaseOutputSerializer(rows, many=True)
    # when it renders
    assert page.data
    # then DRF's fields (a deep copy of every declared field) were never built
    assert "fields" not in vars(page.child)
