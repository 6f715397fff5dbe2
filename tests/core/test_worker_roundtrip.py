"""A real job through a real worker on the configured broker (embedded filesystem by default,
Redis in CI's second pass)."""
import time

import pytest
from django.db import transaction

from core.jobs import create_job
from core.models import Job, JobStatus
from core.tasks import self_check_default, self_check_gpu

pytestmark = pytest.mark.django_db(transaction=True)


def _wait_until_finished(job: Job, timeout: float = 30) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job still {job.status} after {timeout}s")


@pytest.mark.parametrize("task", [self_check_default, self_check_gpu], ids=["default", "gpu"])
def test_it_runs_a_job_through_a_real_worker_on_each_queue(celery_worker, alice, task):
    with transaction.atomic():
        job = create_job(task=task, kind="core.self_check", owner=alice,
                         params={"steps": 3, "sleep": 0.01, "echo": "hello"})
    job = _wait_until_finished(job)
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100 and job.attempts == 1
    assert job.result_data["echo"] == "hello"
    assert job.details == {"step": 3}


def test_it_stops_a_running_job_when_its_owner_cancels(celery_worker, alice):
    from core.jobs import request_cancel

    job = create_job(task=self_check_default, kind="core.self_check", owner=alice,
                     params={"steps": 200, "sleep": 0.05})
    deadline = time.monotonic() + 20
    while job.status != JobStatus.RUNNING and time.monotonic() < deadline:
        time.sleep(0.05)
        job.refresh_from_db()
    request_cancel(job)
    job = _wait_until_finished(job)
    assert job.status == JobStatus.CANCELLED
    assert job.progress < 100
