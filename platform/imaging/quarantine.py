"""Quarantine: where uploaded bytes wait, under random names, until the ingest job has read them.

The web intake (imaging/uploads.py) writes them, the ingest job (imaging/ingest.py) reads and
deletes them one by one, and `purge_stale_quarantine` (the periodic task) deletes what uploads
left behind. Owners' own file names live only in the report lines (`display_name`), never on disk.
"""
from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from core.models import JobStatus
from imaging.models import FileStatus, Upload, UploadState


def quarantine_root() -> Path:
    """IMAGING_QUARANTINE_ROOT, default MEDIA_ROOT/quarantine: shared by the web and worker processes."""
    return Path(settings.IMAGING_QUARANTINE_ROOT or Path(settings.MEDIA_ROOT) / "quarantine")


def quarantine_dir(upload: Upload) -> Path:
    """The folder of one upload's waiting files."""
    return quarantine_root() / str(upload.public_id)


def display_name(name: str) -> str:
    """An owner's file name (or zip member name) as the report shows it: the last path part, printable
    characters only, at most 255. Never used as a path."""
    base = PurePosixPath(str(name).replace("\\", "/")).name or "unnamed"
    return "".join(ch for ch in base if ch.isprintable())[:255] or "unnamed"


def readable_size(n: int) -> str:
    """A size in the words of refusals and reports: "12.3 MB", or "35 KB" under a megabyte."""
    if n < 1024 * 1024:
        return f"{n / 1024:,.0f} KB"
    return f"{n / 1024 / 1024:,.1f} MB"


def purge_stale_quarantine(*, max_age_hours: int | None = None) -> int:
    """Delete the quarantined bytes of uploads left behind: never submitted, or whose ingest job
    failed or was cancelled, more than `max_age_hours` (IMAGING_QUARANTINE_MAX_AGE_HOURS) ago.
    Their pending report lines are closed as rejected. Returns how many uploads were purged."""
    hours = settings.IMAGING_QUARANTINE_MAX_AGE_HOURS if max_age_hours is None else max_age_hours
    cutoff = timezone.now() - timedelta(hours=hours)
    stale = Upload.objects.filter(created_at__lt=cutoff).filter(
        Q(state=UploadState.OPEN) | Q(job__status__in=[JobStatus.FAILED, JobStatus.CANCELLED]))
    purged = 0
    for upload in stale:
        folder = quarantine_dir(upload)
        pending = upload.files.filter(status=FileStatus.PENDING)
        if not folder.exists() and not pending.exists():
            continue
        shutil.rmtree(folder, ignore_errors=True)
        pending.update(status=FileStatus.REJECTED, reason=f"Not ingested within {hours} hours; deleted from quarantine.")
        purged += 1
    return purged
