import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tickets.services.api_keys import api_key_create


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Throttle counters live in the cache and key ids repeat between tests: start each clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def write_key(db) -> str:
    return api_key_create(name="Shop sync", scope="write", actor=None)[1]


@pytest.fixture
def read_key(db) -> str:
    return api_key_create(name="Reporting", scope="read", actor=None)[1]


@pytest.fixture
def api() -> APIClient:
    """No credentials."""
    return APIClient()


@pytest.fixture
def writer(write_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {write_key}")
    return client


@pytest.fixture
def reader(read_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {read_key}")
    return client


@pytest.fixture
def page_queries(writer):
    """How many queries one GET of `url` costs, after a warm-up request (which may also note
    the key's last use)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url: str) -> int:
        assert writer.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = writer.get(url)
        assert response.status_code == 200
        return len(queries)

    return count


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    """The one error shape: {"detail", "code"} and, for invalid input, "errors"."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) <= {"detail", "code", "errors"}
    assert isinstance(body["detail"], str) and body["detail"]
    if code is not None:
        assert body["code"] == code, body
    return body
