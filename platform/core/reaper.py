"""Finding jobs whose worker died, and lost doorbells.

The filesystem broker deletes a message before it is acknowledged, and any worker can be killed
mid-job, so the reaper — run at worker start-up and every minute by beat — looks at the Job table:
- running jobs whose heartbeat went stale are re-queued (or failed once out of attempts);
- queued jobs nobody picked up for a long time get their message sent again (a duplicate is
  harmless: a task returns early unless its job is still queued).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.jobs import enqueue
from core.models import Job, JobStatus

logger = logging.getLogger(__name__)


@dataclass
class ReapReport:
    requeued: list[int]
    failed: list[int]
    resent: list[int]


def reap_orphaned_jobs(*, now: datetime | None = None, dead_worker: str | None = None) -> ReapReport:
    """Re-queue or fail running jobs with a stale heartbeat (or run by `dead_worker`), and re-send
    the messages of jobs queued for longer than JOB_REQUEUE_AFTER_SECONDS."""
    now = now or timezone.now()
    report = ReapReport([], [], [])
    stale_before = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    orphaned = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stale_before)
    if dead_worker:
        orphaned = orphaned | Job.objects.filter(status=JobStatus.RUNNING, worker=dead_worker)
    for pk in orphaned.values_list("pk", flat=True):
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=pk)
            if job.status != JobStatus.RUNNING:
                continue
            if job.attempts < job.max_attempts:
                job.transition(JobStatus.QUEUED, message=f"Worker {job.worker or '?'} was lost; re-queued.")
                enqueue(job)
                report.requeued.append(pk)
            else:
                job.transition(JobStatus.FAILED, message="Failed.",
                               error=f"The worker was lost {job.attempts} times; giving up.")
                report.failed.append(pk)

    lost_before = now - timedelta(seconds=settings.JOB_REQUEUE_AFTER_SECONDS)
    lost = Job.objects.filter(status=JobStatus.QUEUED, queued_at__lt=lost_before).exclude(pk__in=report.requeued)
    for pk in lost.values_list("pk", flat=True):
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=pk)
            if job.status == JobStatus.QUEUED:
                job.queued_at = now
                job.save(update_fields=["queued_at"])
                enqueue(job)
                report.resent.append(pk)
    if report.requeued or report.failed or report.resent:
        logger.warning("reaper: requeued %s, failed %s, re-sent %s", report.requeued, report.failed, report.resent)
    return report
