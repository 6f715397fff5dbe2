"""A real job through a real worker on the configured broker (embedded filesystem by default,
Redis in CI's second pass)."""
import pytest
from django.db import transaction

from core.jobs import create_job
from core.models import JobStatus
from core.tasks import self_check_default, self_check_gpu
from tests.core.waiting import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("task", [self_check_default, self_check_gpu], ids=["default", "gpu"])
def test_it_runs_a_job_through_a_real_worker_on_each_queue(celery_worker, alice, task):
    with transaction.atomic():
        job = create_job(task=task, owner=alice,
                         params={"steps": 3, "sleep": 0.01, "echo": "hello"})
    job = wait_for(job)
    assert job.status == JobStatus.SUCCEEDED
    assert job.progress == 100 and job.attempts == 1
    assert job.result_data["echo"] == "hello"
    assert job.details == {"step": 3}


def test_it_stops_a_running_job_when_its_owner_cancels(celery_worker, alice):
    from core.jobs import request_cancel

    job = create_job(task=self_check_default, owner=alice,
                     params={"steps": 200, "sleep": 0.05})
    wait_for(job, timeout=20, until=lambda j: j.status == JobStatus.RUNNING, poll=0.05)
    request_cancel(job)
    job = wait_for(job)
    assert job.status == JobStatus.CANCELLED
    assert job.progress < 100
