"""Core tasks: the periodic reaper and the worker self-check job."""
from __future__ import annotations

import time

from celery import shared_task

from core.jobs import JobContext, job_task
from core.models import Job
from core.reaper import reap_orphaned_jobs


@shared_task(name="core.reap_orphaned_jobs", acks_late=True, ignore_result=True)
def reap_orphaned_jobs_task() -> None:
    reap_orphaned_jobs()


def _self_check(job: Job, ctx: JobContext) -> None:
    """Proves a worker on this queue picks up jobs, reports progress and writes results."""
    steps = int(job.params.get("steps", 3))
    for step in range(1, steps + 1):
        if ctx.should_stop():
            return
        time.sleep(float(job.params.get("sleep", 0.05)))
        ctx.progress(100 * step / steps, f"Step {step} of {steps}", step=step)
    import platform as stdlib_platform  # the standard library, never our platform/ folder

    ctx.set_result(echo=job.params.get("echo"), host=stdlib_platform.node(), python=stdlib_platform.python_version())


self_check_default = job_task(name="core.self_check", queue="default", time_limit=120)(_self_check)
self_check_gpu = job_task(name="core.self_check_gpu", queue="gpu", time_limit=120)(_self_check)
