"""The real path: a web request queues a task, a real `celery worker` process runs it and
writes to the database. On the embedded defaults the broker is Kombu's filesystem transport;
with REDIS_URL set (CI's second run) it is the real Redis, and the database PostgreSQL."""

import time

import pytest

from tickets.models import WorkerHeartbeat


@pytest.mark.integration
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_queued_by_a_web_request_runs_in_a_real_worker(agent_client, worker, tmp_path):
    # given a real worker process on the test database and an isolated broker
    # when an agent asks the dashboard to check the workers
    response = agent_client.post("/agent/workers/check/")
    assert response.status_code == 302
    # then that worker, not this process, records its heartbeat in the database
    deadline = time.monotonic() + 60
    while not WorkerHeartbeat.objects.filter(hostname=worker).exists():
        if time.monotonic() > deadline:
            pytest.fail("no heartbeat after 60 s:\n" + (tmp_path / "worker.log").read_text())
        time.sleep(0.25)
    assert WorkerHeartbeat.objects.get().hostname == worker
