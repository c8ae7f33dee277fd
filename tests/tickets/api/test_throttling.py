import logging

import pytest

from tests.tickets.api.conftest import assert_error_shape


@pytest.mark.django_db
def test_the_request_past_the_rate_is_a_429_in_the_error_shape(settings, writer):
    # given a rate of 3 requests a minute
    rates = {"api_key": "3/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # when the key makes 3 requests, then a fourth
    for _ in range(3):
        assert writer.get("/api/v1/customers/").status_code == 200
    response = writer.get("/api/v1/customers/")
    # then the fourth is refused, saying when to retry
    body = assert_error_shape(response, 429, "throttled")
    assert "available in" in body["detail"]
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_each_key_has_its_own_budget(settings, writer, reader):
    rates = {"api_key": "1/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert writer.get("/api/v1/customers/").status_code == 200
    assert writer.get("/api/v1/customers/").status_code == 429
    # another key is not affected
    assert reader.get("/api/v1/customers/").status_code == 200


@pytest.mark.django_db
def test_the_api_answers_with_a_warning_while_the_throttle_cache_is_down(
    writer, caplog, cache_down
):
    # given the throttle's cache is a Redis nobody listens on
    cache_down()
    # when a key reads and writes
    with caplog.at_level(logging.WARNING, logger="tickets.api.throttling"):
        read = writer.get("/api/v1/customers/")
        written = writer.post(
            "/api/v1/orders/",
            {
                "number": "T-1",
                "customer": {"email": "mia@example.com"},
                "placed_at": "2026-03-01T10:15:00+01:00",
                "currency": "EUR",
                "total": "5.00",
                "shipping_country": "DE",
                "lines": [{"sku": "A", "title": "A", "quantity": 1, "unit_price": "5.00"}],
            },
            format="json",
        )
    # then both are answered as usual, unthrottled, and the outage is logged
    assert read.status_code == 200
    assert written.status_code == 201, written.content
    assert "API throttling skipped: the cache cannot be reached" in caplog.text
