"""Imaging jobs: the ingest of an upload, on the `default` queue; the periodic quarantine purge.
Thin: the work is in imaging/ingest.py and imaging/quarantine.py, which never import this module."""
from __future__ import annotations

from celery import shared_task

from core.jobs import JobContext, JobError, job_task
from core.models import Job
from imaging.ingest import ingest_upload
from imaging.models import Upload
from imaging.quarantine import purge_stale_quarantine


def _ingest(job: Job, ctx: JobContext) -> None:
    """De-identify and store the files of one upload; the per-file outcome is its ingest report."""
    upload = Upload.objects.select_related("owner", "collection").filter(public_id=job.params["upload"]).first()
    if upload is None:
        raise JobError("The upload no longer exists.")
    counts = ingest_upload(upload, progress=ctx.progress, should_stop=ctx.should_stop)
    ctx.progress(100, f"{counts['accepted']} accepted, {counts['rejected']} rejected, {counts['images']} images")
    ctx.set_result(upload.collection, upload=str(upload.public_id), **counts)


ingest_upload_task = job_task(name="imaging.ingest_upload", queue="default", time_limit=6 * 3600)(_ingest)


@shared_task(name="imaging.purge_stale_quarantine", acks_late=True, ignore_result=True)
def purge_stale_quarantine_task() -> None:
    purge_stale_quarantine()
