from datetime import timedelta

import pytest
from django.utils import timezone

from core.jobs import claim
from core.models import JobStatus
from core.reaper import reap_orphaned_jobs
from tests.core.factories import JobFactory

pytestmark = pytest.mark.django_db


def _running_job(**kwargs):
    job = JobFactory(**kwargs)
    return claim(job.pk, worker="celery@dead")


def test_it_requeues_a_running_job_whose_heartbeat_went_stale(django_capture_on_commit_callbacks):
    job = _running_job()
    later = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks() as callbacks:
        report = reap_orphaned_jobs(now=later)
    job.refresh_from_db()
    assert report.requeued == [job.pk]
    assert job.status == JobStatus.QUEUED
    assert len(callbacks) == 1  # the message is sent again once committed


def test_it_leaves_a_job_with_a_fresh_heartbeat_running():
    job = _running_job()
    report = reap_orphaned_jobs()
    job.refresh_from_db()
    assert report.requeued == [] and job.status == JobStatus.RUNNING


def test_it_fails_an_orphaned_job_that_used_all_its_attempts():
    job = _running_job(max_attempts=1)
    reap_orphaned_jobs(now=timezone.now() + timedelta(hours=1))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "lost" in job.error


def test_it_requeues_jobs_of_a_restarted_worker_at_once():
    job = _running_job()
    report = reap_orphaned_jobs(dead_worker="celery@dead")
    assert report.requeued == [job.pk]


def test_it_resends_the_message_of_a_job_queued_for_too_long(django_capture_on_commit_callbacks):
    job = JobFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        report = reap_orphaned_jobs(now=timezone.now() + timedelta(hours=2))
    assert report.resent == [job.pk] and len(callbacks) == 1
