"""Fixtures and helpers of the compensation tests."""

from decimal import Decimal

import pytest
from django.urls import NoReverseMatch, reverse

from tests.tickets.factories import ExchangeRateFactory


@pytest.fixture
def workspace(settings):
    """The case workspace's URL answers: the real page, or the stand-in while it is missing."""
    try:
        reverse("tickets:agent-case", kwargs={"number": "C-1"})
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.tickets.agent.workspace_stub"


@pytest.fixture
def usd_rate(db):
    """1 USD = 0.9 EUR (the base currency in the tests)."""
    return ExchangeRateFactory(currency="USD", rate=Decimal("0.9"))
