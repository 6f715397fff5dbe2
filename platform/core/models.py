"""The generic Job: the source of truth for every piece of background work.

The broker is only a doorbell. A job row records what to do (kind, params), who asked (owner),
how far it got (status, progress, message) and where the result is. Its status changes only
through `Job.transition`, so every rule about which change is allowed lives in one place.
"""
from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from core.ownership import OwnedQuerySet
from core.records import NewestFirst


class JobStatus(models.TextChoices):
    """Where a job stands; Job.transition is the one way between them (TRANSITIONS below)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


TERMINAL_STATUSES = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})

# from-status -> the statuses it may move to. A running job goes back to queued when the
# reaper re-enqueues it after its worker died, or when it stops to be resumed later.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELLED, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset(
        {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.QUEUED}
    ),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset({JobStatus.QUEUED}),  # an explicit retry/resume by the owner
    JobStatus.CANCELLED: frozenset({JobStatus.QUEUED}),  # resume a cancelled training
}


class InvalidTransition(Exception):
    pass


class Job(NewestFirst):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=64,
                            help_text="What the job does: its task's name, e.g. 'imaging.ingest_upload'.")
    task_name = models.CharField(max_length=200, help_text="Celery task that runs this job.")
    queue = models.CharField(max_length=32, default="default")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    params = models.JSONField(default=dict, blank=True)

    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100")
    message = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True, help_text="Latest progress data, e.g. losses.")

    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    cancel_requested = models.BooleanField(default=False)
    worker = models.CharField(max_length=200, blank=True)

    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # The result pointer: the object the job produced (an image set, a model, a report...).
    result_content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    result_object_id = models.CharField(max_length=64, blank=True)
    result = GenericForeignKey("result_content_type", "result_object_id")
    result_data = models.JSONField(default=dict, blank=True)

    objects = OwnedQuerySet.as_manager()  # owners see and manage their jobs; administrators all

    class Meta(NewestFirst.Meta):
        indexes = [models.Index(fields=["status", "heartbeat_at"]), models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in TERMINAL_STATUSES

    def transition(self, to: str, *, save: bool = True, **fields: Any) -> None:
        """Move to status `to`, setting the timestamps that go with it and any extra `fields`.

        Raises InvalidTransition for a move the state machine does not allow."""
        if to not in ALLOWED_TRANSITIONS[self.status]:
            raise InvalidTransition(f"job {self.pk}: {self.status} -> {to} is not allowed")
        now = timezone.now()
        self.status = to
        if to == JobStatus.QUEUED:
            self.queued_at = now
            self.finished_at = None
            self.cancel_requested = False
        elif to == JobStatus.RUNNING:
            self.started_at = now
            self.heartbeat_at = now
            self.attempts += 1
        else:
            self.finished_at = now
            if to == JobStatus.SUCCEEDED:
                self.progress = 100
        for name, value in fields.items():
            setattr(self, name, value)
        if save:
            self.save()

    def set_result(self, obj: models.Model | None = None, **data: Any) -> None:
        """Point the job at what it produced (not saved: the caller's transition saves it)."""
        if obj is not None:
            self.result_content_type = ContentType.objects.get_for_model(obj)
            self.result_object_id = str(obj.pk)
        self.result_data = {**self.result_data, **data}
