"""The one mutator of Notification.status: only the moves of Notification.TRANSITIONS."""

import ast
from itertools import product
from pathlib import Path

import pytest
from django.conf import settings

from tests.tickets.factories import NotificationFactory
from tickets.models import Notification
from tickets.services.outbox import NotAllowedMove, notification_move, notifications_move

pytestmark = pytest.mark.django_db

S = Notification.Status
MOVES = [
    (source, target)
    for source, target in product(S.values, S.values)
    if target in Notification.TRANSITIONS[source]
]
NOT_MOVES = [
    (source, target)
    for source, target in product(S.values, S.values)
    if target not in Notification.TRANSITIONS[source]
]


def _row(status):
    row = NotificationFactory()
    Notification.objects.filter(pk=row.pk).update(status=status)
    return row


def test_the_table_lists_every_status_and_the_moves_we_rely_on():
    assert set(Notification.TRANSITIONS) == set(S.values)
    assert {
        (S.PENDING, S.SENT),
        (S.PENDING, S.FAILED),
        (S.PENDING, S.HELD),
        (S.SENT, S.FAILED),
        (S.FAILED, S.PENDING),
        (S.HELD, S.PENDING),
        (S.HELD, S.FAILED),
    } == set(MOVES)


@pytest.mark.parametrize(("source", "target"), MOVES)
def test_a_move_in_the_table_is_made_with_its_fields(source, target):
    # given a row in `source`
    row = _row(source)
    # when it is moved to `target`, with a reason
    moved = notification_move(notification_id=row.pk, to=target, last_error="why")
    # then it moved, and the reason was written with it
    row.refresh_from_db()
    assert moved is True
    assert (row.status, row.last_error) == (target, "why")


@pytest.mark.parametrize(("source", "target"), NOT_MOVES)
def test_a_move_not_in_the_table_changes_nothing(source, target):
    # given a row in `source`, from which `target` cannot be reached
    row = _row(source)
    # when a move to `target` is asked for
    moved = notification_move(notification_id=row.pk, to=target, last_error="why")
    # then the row is as it was
    row.refresh_from_db()
    assert moved is False
    assert (row.status, row.last_error) == (source, "")


def test_naming_a_source_outside_the_table_is_a_programming_error():
    row = _row(S.SENT)
    with pytest.raises(NotAllowedMove):
        notification_move(notification_id=row.pk, to=S.PENDING, from_=[S.SENT])


def test_a_set_of_rows_moves_in_one_update_and_only_those_allowed(django_assert_num_queries):
    # given rows in every status
    rows = {status: _row(status) for status in S.values}
    # when all of them are moved to failed, from pending or held only
    with django_assert_num_queries(1):
        moved = notifications_move(
            notifications=Notification.objects.all(),
            to=S.FAILED,
            from_=[S.PENDING, S.HELD],
            last_error="stop",
        )
    # then exactly those two moved
    assert moved == 2
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses == {
        rows[S.PENDING].pk: S.FAILED,
        rows[S.HELD].pk: S.FAILED,
        rows[S.SENT].pk: S.SENT,
        rows[S.FAILED].pk: S.FAILED,
    }


WRITES = {"update", "create", "get_or_create", "update_or_create", "bulk_update"}


def _is_notification_status(node: ast.expr) -> bool:
    value = ast.unparse(node)
    return "Notification.Status" in value or value.startswith("Status.")


def test_no_code_but_the_mutator_writes_a_notifications_status():
    # given every module of the tickets app but the mutator's
    writers = []
    for path in (Path(settings.BASE_DIR) / "tickets").rglob("*.py"):
        if "migrations" in path.parts or path.name == "outbox.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            # update(status=Notification.Status.X) and the like, or row.status = Status.X
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                writers += [
                    f"{path.name}:{node.lineno}"
                    for keyword in node.keywords
                    if keyword.arg == "status" and _is_notification_status(keyword.value)
                ]
            elif isinstance(node, ast.Assign) and _is_notification_status(node.value):
                writers += [
                    f"{path.name}:{node.lineno}"
                    for target in node.targets
                    if isinstance(target, ast.Attribute) and target.attr == "status"
                ]
    # then none of them writes Notification.status itself
    assert writers == []
