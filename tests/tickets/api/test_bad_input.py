"""Bad input gets a clear 4xx in the error shape, never a 500, and nothing is half-written."""

import json

import pytest

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.api.test_order_upsert import counts, order
from tickets.models import Case, Message

ORDERS = "/api/v1/orders/"


def post_raw(client, url, body: bytes | str, content_type="application/json"):
    return client.generic("POST", url, body, content_type=content_type)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        b'{"number": "1",',  # cut off
        b"{'number': '1'}",  # not JSON
        b'{"total": NaN}',  # not strict JSON
        b"\xff\xfe\x00",  # not UTF-8
        b"[" * 100_000 + b"]" * 100_000,  # nested too deep for the parser
        b'{"number": "\\ud800"}',  # a lone surrogate no database can store
    ],
    ids=["truncated", "single-quotes", "nan", "not-utf8", "deep", "lone-surrogate"],
)
def test_malformed_json_is_a_400(writer, body):
    body = assert_error_shape(post_raw(writer, ORDERS, body), 400, "parse_error")
    assert body["detail"].startswith("JSON parse error")
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_body_that_is_not_an_object_is_a_400(writer):
    body = assert_error_shape(post_raw(writer, ORDERS, b"[1, 2]"), 400, "invalid")
    assert "Expected a dictionary" in body["errors"]["non_field_errors"][0]
    assert_error_shape(post_raw(writer, ORDERS, b'"1042"'), 400, "invalid")


@pytest.mark.django_db
def test_another_content_type_is_a_415(writer):
    response = post_raw(
        writer, ORDERS, "number=1", content_type="application/x-www-form-urlencoded"
    )
    assert_error_shape(response, 415, "unsupported_media_type")


@pytest.mark.django_db
def test_wrong_types_are_named_field_by_field(writer):
    bad = order(
        number=["1042"],
        placed_at="last tuesday",
        total="a lot",
        insured="maybe",
        customer={"email": "not-an-email"},
        lines=[{"sku": "K", "title": "Kettle", "quantity": "two", "unit_price": 5}],
    )
    body = assert_error_shape(writer.post(ORDERS, bad, format="json"), 400, "invalid")
    assert set(body["errors"]) == {
        "number", "placed_at", "total", "insured", "customer.email", "lines[0].quantity",
        "lines[0].unit_price",
    }  # fmt: skip
    # and a value of the wrong JSON type is named as such, not quietly converted
    assert body["errors"]["insured"] == ["Send true or false."]
    assert body["errors"]["lines[0].quantity"] == ["Send a whole number."]
    assert body["errors"]["lines[0].unit_price"] == [
        'Send the amount as a string of digits with a decimal point, e.g. "12.50" or "1500".'
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_an_unknown_currency_is_named(writer):
    body = assert_error_shape(writer.post(ORDERS, order(currency="XYZ"), format="json"), 400)
    assert body["errors"] == {
        "currency": ["XYZ is not an ISO-4217 currency code such as EUR, USD or JPY."]
    }
    body = assert_error_shape(writer.post(ORDERS, order(currency="eur"), format="json"), 400)
    assert list(body["errors"]) == ["currency"]


@pytest.mark.django_db
def test_missing_required_fields_are_each_named(writer):
    body = assert_error_shape(writer.post(ORDERS, {"customer": {}}, format="json"), 400)
    assert set(body["errors"]) == {
        "number", "customer.email", "placed_at", "currency", "total", "shipping_country", "lines"
    }  # fmt: skip
    assert all(messages == ["This field is required."] for messages in body["errors"].values())
    body = assert_error_shape(writer.post(ORDERS, {"orders": [{}]}, format="json"), 400)
    assert "orders[0].number" in body["errors"]


@pytest.mark.django_db
def test_an_empty_body_names_the_missing_fields(writer):
    body = assert_error_shape(post_raw(writer, ORDERS, b""), 400, "invalid")
    assert "number" in body["errors"]


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_a_413(settings, writer):
    # given a small upload limit
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = {"orders": [order(str(n)) for n in range(10)]}
    assert len(json.dumps(payload)) > 1000
    # when a larger body is posted
    body = assert_error_shape(writer.post(ORDERS, payload, format="json"), 413, "too_large")
    # then the answer says the limit, and nothing is stored
    assert "1000 bytes" in body["detail"]
    assert counts() == (0, 0, 0)
    # and a body within it still goes through
    assert writer.post(ORDERS, order(), format="json").status_code == 201


@pytest.mark.django_db
def test_a_body_over_the_limit_is_a_413_on_every_write(settings, writer, case):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    url = f"/api/v1/cases/{case.number}/messages/"
    response = writer.post(url, {"body": "x" * 200}, format="json")
    assert_error_shape(response, 413, "too_large")
    assert Message.objects.count() == 0


@pytest.mark.django_db
def test_nul_bytes_are_refused_not_stored(writer, customer):
    new = {"customer": customer.pk, "kind": "general", "subject": "broken\x00"}
    body = assert_error_shape(writer.post("/api/v1/cases/", new, format="json"), 400)
    assert list(body["errors"]) == ["subject"]
    assert Case.objects.count() == 0
    assert_error_shape(writer.get("/api/v1/customers/", {"email": "a\x00b"}), 400)
    assert_error_shape(writer.get("/api/v1/cases/AS-\x00/"), 404)
    assert_error_shape(writer.get("/api/v1/cases/AS-\x00/messages/"), 404)


@pytest.mark.django_db
def test_out_of_range_numbers_are_a_400(writer, case):
    url = f"/api/v1/cases/{case.number}/"
    body = assert_error_shape(writer.patch(url, {"version": 2**63}, format="json"), 400)
    assert list(body["errors"]) == ["version"]
    rows = order(lines=[{"sku": "K", "title": "K", "quantity": 10**12, "unit_price": "1e30"}])
    body = assert_error_shape(writer.post(ORDERS, rows, format="json"), 400)
    assert set(body["errors"]) == {"lines[0].quantity", "lines[0].unit_price"}


@pytest.mark.django_db
def test_a_time_without_its_utc_offset_is_refused(writer):
    # a shop's local time with no offset could be any of 24 moments
    response = writer.post(ORDERS, order(placed_at="2025-03-01T10:15:00"), format="json")
    body = assert_error_shape(response, 400, "invalid")
    assert body["errors"] == {
        "placed_at": ["Give the time with its offset from UTC, e.g. 2026-03-01T14:30:00+01:00."]
    }
    assert counts() == (0, 0, 0)
    response = writer.post(ORDERS, order(placed_at="2025-03-01T10:15:00+09:00"), format="json")
    assert response.status_code == 201
