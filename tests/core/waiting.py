"""Waiting for a job that a real worker (a thread of this process, or another process) runs."""
from __future__ import annotations

import time
from typing import Callable

from core.models import Job, JobStatus


def wait_for(job: Job | str, *, timeout: float = 120, until: Callable[[Job], bool] | None = None,
             poll: float = 0.25) -> Job:
    """Poll the job row until it is finished (or `until(job)` holds). Not faster than `poll`: the
    worker writes this row too, and SQLite's shared test database locks the table while it reads."""
    job = job if isinstance(job, Job) else Job.objects.get(public_id=job)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if (until(job) if until else job.is_finished):
            return job
        time.sleep(poll)
    raise AssertionError(f"job {job.kind} still {job.status} ({job.message}) after {timeout}s: {job.error}")


def succeeded(job: Job) -> Job:
    assert job.status == JobStatus.SUCCEEDED, f"{job.status}: {job.error}"
    return job
