"""The benchmark database (database.py creates it): migrated, filled by generate_load_data,
analysed; a bench agent with a session and an API key; real values for the targets' paths."""

import re
from datetime import timedelta
from urllib.parse import quote

import factory
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from shipments.models import Shipment, TrackingEvent
from tests.tickets.factories import agent
from tickets.models import (
    ApiKey,
    Case,
    CaseEvent,
    Customer,
    Message,
    Notification,
    Order,
    OrderLine,
    Tag,
    Team,
)
from tickets.selectors.workspace import case_timeline
from tickets.services.api_keys import api_key_create, api_key_revoke

BENCH_USERNAME = "bench-agent"
KEY_NAME = "make bench"
BIG_TABLES = {
    "cases": Case,
    "messages": Message,
    "events": CaseEvent,
    "notifications": Notification,
    "customers": Customer,
    "orders": Order,
    "order lines": OrderLine,
    "shipments": Shipment,
    "tracking events": TrackingEvent,
}


def database_fill(cases: int) -> None:
    """Migrate, generate `cases` cases (a no-op when they exist; 0 keeps what is there), then
    VACUUM ANALYZE, as autovacuum would have by the time a real database holds a million cases:
    the planner's statistics, and the visibility map without which an index-only scan (the
    dashboard's counts) reads the table too, after a bulk load or a migration that rewrote it."""
    call_command("migrate", interactive=False, verbosity=0)
    if cases:
        call_command("generate_load_data", cases=cases)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def bench_user() -> User:
    """An agent (Agents group, default visibility) that the loads act as; it cannot sign in
    with a password."""
    return agent(username=BENCH_USERNAME, password=factory.django.Password(None))


def credentials(user: User) -> dict[str, str]:
    """A fresh session cookie and a fresh read key for `user`; the earlier keys are revoked,
    so reruns leave one working key."""
    for old in ApiKey.objects.filter(user=user, name=KEY_NAME, revoked_at__isnull=True):
        api_key_revoke(api_key=old, actor=None)
    _api_key, key = api_key_create(name=KEY_NAME, scope="read", actor=None, user=user)
    client = Client()
    client.force_login(user)
    return {"api_key": key, "session": client.cookies[settings.SESSION_COOKIE_NAME].value}


def path_values() -> dict[str, str]:
    """Real values for the targets' paths: a case and a customer from the middle of the data
    (neither the newest nor the oldest), and a word of that customer's name to search for."""
    case = _middle(Case)
    customer = _middle(Customer)
    if case is None or customer is None:
        raise SystemExit("The benchmark database has no cases or customers: set BENCH_CASES.")
    words = customer.name.split()
    order = _middle(Order)
    message = _middle(Message)
    team = Team.objects.order_by("pk").first()
    busy = _busy_case(after=case)
    return {
        "case_number": case.number,
        "customer_pk": str(customer.pk),
        "customer_search": quote(words[-1] if words else customer.email.split("@")[0]),
        "customer_email": quote(customer.email),
        "order_number": order.number if order else "none",
        "message_word": max(re.findall(r"[A-Za-z]{4,}", message.body) or ["parcel"], key=len)
        if message
        else "parcel",
        "team_pk": str(team.pk) if team else "0",
        "tag": _tagged().name,
        "busy_case_number": busy.number,
        "busy_case_earlier": quote(_earlier_before(busy)),
    }


BUSY_ENTRIES = 200
TAGGED_EVERY = 100  # one case in a hundred carries the bench tag
MINUTE = timedelta(minutes=1)


def _tagged() -> Tag:
    """A tag on one case in a hundred (the load data has none), made once."""
    tag, created = Tag.objects.get_or_create(name="bench-vip")
    if created:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO tickets_case_tags (case_id, tag_id) "
                "SELECT id, %s FROM tickets_case WHERE id %% %s = 0",
                [tag.pk, TAGGED_EVERY],
            )
    return tag


def _busy_case(*, after: Case) -> Case:
    """The first case after `after` with BUSY_ENTRIES timeline entries: messages (a quarter of
    them internal notes), events and notifications, added once."""
    case = Case.objects.filter(pk__gt=after.pk).order_by("pk").first() or after
    have = case.messages.count() + case.events.count() + case.notifications.count()
    missing = max(0, BUSY_ENTRIES - have)
    at = case.created_at
    third = missing // 3
    Message.objects.bulk_create(
        Message(
            case=case,
            author_kind="agent" if i % 2 else "customer",
            visibility="internal" if i % 4 == 1 else "public",
            body=f"Bench message {i}: the parcel, the label and the refund.",
            created_at=at + i * MINUTE,
        )
        for i in range(third)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case, verb="tags_changed", data={"tags": ["bench"]}, created_at=at + i * MINUTE
        )
        for i in range(third)
    )
    Notification.objects.bulk_create(
        Notification(
            customer_id=case.customer_id,
            case=case,
            channel="email",
            template="agent_reply",
            language="en",
            recipient="bench@example.com",
            subject="Bench",
            body="Bench",
            idempotency_key=f"bench-busy-{case.pk}-{i}",
            created_at=at + i * MINUTE,
        )
        for i in range(missing - 2 * third)
    )
    return case


def _earlier_before(case: Case) -> str:
    """The `before` of the "Show earlier" link on `case`'s workspace: its first page's oldest
    entry's time."""
    before = case_timeline(case=case).earlier_before
    return before.isoformat() if before else ""


def _middle(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return None if last is None else model.objects.filter(pk__gte=last // 2).order_by("pk").first()


def data_size() -> dict[str, int]:
    """Rows of the big tables, as PostgreSQL estimates them (pg_class.reltuples)."""
    tables = {name: model._meta.db_table for name, model in BIG_TABLES.items()}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            [list(tables.values())],
        )
        rows = dict(cursor.fetchall())
    return {name: max(0, rows.get(table, 0)) for name, table in tables.items()}
