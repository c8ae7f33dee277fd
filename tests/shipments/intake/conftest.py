import json

import pytest
from django.utils import timezone

from shipments.services.deliveries import deliveries_ingest
from tests.tickets.webhooks.conftest import FIXTURES


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(timezone.now(), tick=False)


def fixture_json(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def fixture_bytes(name: str) -> bytes:
    # A webhook body is signed over its exact bytes: the file's trailing newline was not sent.
    return (FIXTURES / name).read_bytes().rstrip(b"\n")


def ingested(response):
    """`response` of a batched tracking webhook (EasyPost, AfterShip); an accepted delivery is
    stored as the task stores it, and `response.stored` says how many events that stored."""
    response.stored = None
    if response.status_code == 200 and response.json() == {"outcome": "accepted"}:
        response.stored = deliveries_ingest()
    return response
