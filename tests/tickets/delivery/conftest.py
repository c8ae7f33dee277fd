import pytest

from tests.tickets.delivery.harness import delivery_processes, redis_db_for_this_process


@pytest.fixture
def delivery(tmp_path):
    """An SMTP server on 127.0.0.1, a broker of this test's own, and `start_worker()` for real
    `celery worker` processes on the test database; all of them stopped at the end."""
    with delivery_processes(tmp_path, redis_db=redis_db_for_this_process()) as run:
        yield run
