"""Creating, claiming and running Jobs.

Every Celery task goes through `job_task`: it sets the queue, `acks_late`, time limits and
bounded retries, takes a keyword-only `job_pk`, locks the row to claim it, returns early if the
work is done or running elsewhere, and records the outcome through `Job.transition`.
The wrapped function is plain: `fn(job, ctx)`, where `ctx` gives progress and cancel hooks that
map one-to-one onto gan_engine's `progress_fn` / `should_stop` callbacks.
"""
from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from celery import current_app, shared_task
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, close_old_connections, connection, models, transaction
from django.utils import timezone

from core.models import Job, JobStatus

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A failure to report to the user as it is (bad input, missing file): no traceback shown."""


# Job task name -> queue, filled by `job_task`; `route_task` (CELERY_TASK_ROUTES) reads it, so that a
# task sent by name alone still reaches its queue (Celery 6 drops the per-task `queue` attribute).
TASK_QUEUES: dict[str, str] = {}


def route_task(name: str, args: Any, kwargs: Any, options: dict, task: Any = None, **kw: Any) -> dict | None:
    """Celery router: the queue a job task was declared on; None leaves other tasks to the defaults."""
    queue = TASK_QUEUES.get(name)
    return {"queue": queue} if queue else None


def send_to_broker(job: Job) -> None:
    # celery's current app (the project's: Django's fixup makes it the default in every thread),
    # so core never imports the project package.
    current_app.send_task(job.task_name, kwargs={"job_pk": job.pk}, queue=job.queue)


def enqueue(job: Job) -> None:
    """Ring the doorbell once the row is committed, so no worker can look for a row not yet there."""
    transaction.on_commit(lambda: send_to_broker(job))


def create_job(*, task: Any, owner: Any, params: dict | None = None, max_attempts: int = 3) -> Job:
    """Create a queued Job for a `job_task`-decorated task and enqueue it after commit.

    The job's kind is the task's name: one name for what the job does, never typed twice."""
    job = Job.objects.create(
        kind=task.name, task_name=task.name, queue=task.job_queue, owner=owner,
        params=params or {}, max_attempts=max_attempts,
    )
    enqueue(job)
    return job


def request_cancel(job: Job) -> None:
    """A queued job is cancelled at once; a running one is asked to stop at its next check."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status == JobStatus.QUEUED:
            locked.transition(JobStatus.CANCELLED, message="Cancelled before it started.")
        elif locked.status == JobStatus.RUNNING:
            locked.cancel_requested = True
            locked.save(update_fields=["cancel_requested"])
    job.refresh_from_db()


def resume(job: Job) -> None:
    """Queue a failed or cancelled job again (training resumes from its last checkpoint)."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        locked.transition(JobStatus.QUEUED, error="", message="Resumed.", attempts=0)
        enqueue(locked)
    job.refresh_from_db()


@dataclass
class JobContext:
    """What a running job's code may do to its row: report progress, ask whether to stop."""

    job_pk: int
    deadline: float
    cancel_check_s: float = 2.0  # how often should_stop reads the row (settings.JOB_CANCEL_CHECK_SECONDS)
    stop_reason: str | None = None
    result_obj: models.Model | None = None
    result_data: dict = field(default_factory=dict)
    _last_cancel_check: float = 0.0

    def progress(self, percent: float, message: str | None = None, **details: Any) -> None:
        fields: dict[str, Any] = {"progress": max(0, min(100, int(percent))), "heartbeat_at": timezone.now()}
        if message is not None:
            fields["message"] = message[:500]
        if details:
            fields["details"] = details
        Job.objects.filter(pk=self.job_pk, status=JobStatus.RUNNING).update(**fields)

    def should_stop(self) -> bool:
        """True once the owner cancelled or the time limit passed; reads the row at most every
        `cancel_check_s` seconds (a training step may take milliseconds: one query a step is too many)."""
        if self.stop_reason:
            return True
        if time.monotonic() > self.deadline:
            self.stop_reason = "time limit exceeded"
            return True
        now = time.monotonic()
        if now - self._last_cancel_check >= self.cancel_check_s:
            self._last_cancel_check = now
            if Job.objects.filter(pk=self.job_pk, cancel_requested=True).exists():
                self.stop_reason = "cancelled"
        return self.stop_reason is not None

    def set_result(self, obj: models.Model | None = None, **data: Any) -> None:
        self.result_obj = obj
        self.result_data.update(data)


class _Heartbeat(threading.Thread):
    """Keeps heartbeat_at fresh while a job runs, so the reaper can tell a slow job from a dead one."""

    def __init__(self, job_pk: int, interval: float) -> None:
        super().__init__(daemon=True, name=f"job-{job_pk}-heartbeat")
        self.job_pk, self.interval, self.stopped = job_pk, interval, threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                Job.objects.filter(pk=self.job_pk, status=JobStatus.RUNNING).update(heartbeat_at=timezone.now())
        finally:
            connection.close()


def claim(job_pk: int, worker: str, task_name: str | None = None) -> Job | None:
    """Lock the row and mark it running; None when there is nothing (left) to do.

    task_name: the task that received the message. A row made for another task is left alone: a
    message outliving its database (a restored backup, a reset test database) must never run the
    wrong code on whatever row now has that primary key."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_pk).first()
        if job is None or job.status != JobStatus.QUEUED:
            return None
        if task_name is not None and job.task_name != task_name:
            logger.warning("ignored a %s message for job %s, which is a %s job", task_name, job_pk, job.task_name)
            return None
        if job.attempts >= job.max_attempts:
            job.transition(JobStatus.FAILED, error=f"Gave up after {job.attempts} attempts.")
            return None
        job.transition(JobStatus.RUNNING, worker=worker, error="")
        return job


def finish(ctx: JobContext, to: str, **fields: Any) -> None:
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=ctx.job_pk)
        if job.status != JobStatus.RUNNING:  # the reaper took it back meanwhile
            logger.warning("job %s finished as %s but is now %s; keeping %s", job.pk, to, job.status, job.status)
            return
        if to == JobStatus.SUCCEEDED:
            job.set_result(ctx.result_obj, **ctx.result_data)
        job.transition(to, **fields)


def run_claimed(job: Job, fn: Callable[[Job, JobContext], None], time_limit: float) -> None:
    ctx = JobContext(job_pk=job.pk, deadline=time.monotonic() + time_limit,
                     cancel_check_s=settings.JOB_CANCEL_CHECK_SECONDS)
    heartbeat = _Heartbeat(job.pk, settings.JOB_HEARTBEAT_SECONDS)
    heartbeat.start()
    try:
        fn(job, ctx)
    except JobError as exc:
        finish(ctx, JobStatus.FAILED, error=str(exc), message="Failed.")
        return
    except OperationalError:
        # Transient database trouble: give the job back to the queue and let Celery retry.
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job.pk)
            if locked.status == JobStatus.RUNNING:
                locked.transition(JobStatus.QUEUED, message="Retrying after a database error.")
        raise
    except Exception as exc:  # noqa: BLE001 - any bug must end the job, never leave it running
        logger.exception("job %s failed", job.pk)
        finish(ctx, JobStatus.FAILED, error=f"{type(exc).__name__}: {exc}\n\n{traceback.format_exc()[-4000:]}",
               message="Failed.")
        return
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=5)
    if ctx.stop_reason == "cancelled":
        finish(ctx, JobStatus.CANCELLED, message="Cancelled.")
    elif ctx.stop_reason:
        finish(ctx, JobStatus.FAILED, error=ctx.stop_reason.capitalize() + ".", message="Stopped.")
    else:
        finish(ctx, JobStatus.SUCCEEDED)


def job_task(*, name: str, queue: str = "default", time_limit: int = 3600, max_retries: int = 3):
    """Decorator turning `fn(job, ctx)` into the Celery task `name` on `queue`.

    Raises ImproperlyConfigured for a queue outside settings.JOB_QUEUES: no worker started by
    `manage.py worker` would ever consume it, so its jobs would wait forever."""
    if queue not in settings.JOB_QUEUES:
        raise ImproperlyConfigured(f"job task {name!r} is declared on queue {queue!r}, which no worker "
                                   f"consumes; settings.JOB_QUEUES holds {', '.join(settings.JOB_QUEUES)}.")

    def decorate(fn: Callable[[Job, JobContext], None]):
        @shared_task(
            name=name, bind=True, acks_late=True, reject_on_worker_lost=True,
            autoretry_for=(OperationalError,), max_retries=max_retries, retry_backoff=True,
            retry_backoff_max=120, soft_time_limit=time_limit + 30, time_limit=time_limit + 90,
        )
        def task(self, *, job_pk: int) -> None:
            close_old_connections()
            job = claim(job_pk, worker=self.request.hostname or "unknown", task_name=name)
            if job is None:
                return
            run_claimed(job, fn, time_limit)

        task.job_queue = queue
        TASK_QUEUES[name] = queue
        task.__doc__ = fn.__doc__
        return task

    return decorate
