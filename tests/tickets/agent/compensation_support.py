"""Fixtures and helpers of the compensation tests."""

from decimal import Decimal

import pytest

from tests.tickets.factories import ExchangeRateFactory


@pytest.fixture
def usd_rate(db):
    """1 USD = 0.9 EUR (the base currency in the tests)."""
    return ExchangeRateFactory(currency="USD", rate=Decimal("0.9"))
