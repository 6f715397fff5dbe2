"""Training jobs through a real Celery worker: progress, registration, cancel and resume, and a
worker that dies mid-run."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Job, JobStatus
from core.reaper import reap_orphaned_jobs
from generation.models import GanModel, TrainingSource
from generation.training import checkpoint_step, run_dir
from tests.core.waiting import succeeded, wait_for
from tests.generation.conftest import post_job

pytestmark = pytest.mark.django_db(transaction=True)


def _start(client, user, collection, **data) -> Job:
    """A smoke-recipe training on a collection of real CT slices (the example CT takes longer to load)."""
    return post_job(client, user, "api:training-job-list", {"name": "tiny", "recipe": "smoke", "source": "collection",
                                                        "collection": str(collection.public_id), **data})


def test_a_training_job_reports_step_and_losses_and_registers_the_model(celery_worker, client, alice,
                                                                       ct_collection):
    job = _start(client, alice, ct_collection, steps=30)
    seen = []
    wait_for(job, until=lambda j: (seen.append(dict(j.details)) if j.details.get("losses") else None) or j.is_finished)
    succeeded(job)

    mid_run = [d for d in seen if d.get("step", 0) < 30]
    assert mid_run, "no progress was observed before the last step"
    assert {"d", "g"} <= set(mid_run[0]["losses"]) and mid_run[0]["total_steps"] == 30
    assert job.details["step"] == 30 and job.details["eta_s"] >= 0

    model = GanModel.objects.get(training_job=job)
    assert job.result_data["gan_model"] == str(model.public_id) and job.result == model
    assert (model.name, model.version, model.created_by, model.resolution) == ("tiny", "1", alice, 64)
    assert model.training_source == TrainingSource.COLLECTION and model.training_collection == ct_collection
    assert model.finding_classes == ["normal"] and not model.supports_severity  # uploads carry no labels
    assert model.config["steps"] == 30
    assert model.training_stats["step"] == 30
    from gan_engine.checkpoint import sha256_file

    assert sha256_file(model.checkpoint_dir / "generator.safetensors") == model.checkpoint_sha256


def test_the_sample_grid_is_served_to_the_owner_only(celery_worker, client, alice, charlie, ct_collection):
    job = succeeded(wait_for(_start(client, alice, ct_collection, steps=10)))
    assert job.details["sample_step"] in (None, 10)  # the grid of the last step is written after its report
    url = reverse("generation:training-sample", args=[job.public_id])

    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert client.get(reverse("generation:job", args=[job.public_id])).status_code == 404


def test_a_cancelled_training_resumes_from_its_checkpoint(celery_worker, client, alice, ct_collection, settings):
    # The job reads its row for a cancel after every step, so the cancel is seen at the next step
    # however fast the machine: with the default 2 s a fast one finished all 60 steps first.
    settings.JOB_CANCEL_CHECK_SECONDS = 0
    job = _start(client, alice, ct_collection, steps=60)
    wait_for(job, until=lambda j: j.status != JobStatus.QUEUED)
    assert client.post(reverse("api:job-cancel", args=[job.public_id])).status_code == 200

    job = wait_for(job)
    assert job.status == JobStatus.CANCELLED, job.error
    stopped_at = job.details["step"]
    assert 0 < stopped_at < 60
    assert checkpoint_step(run_dir(job)) == stopped_at
    assert not GanModel.objects.filter(training_job=job).exists()

    assert client.post(reverse("api:job-resume", args=[job.public_id])).status_code == 200
    job = succeeded(wait_for(job))
    assert job.result_data["resumed_from_step"] == stopped_at
    assert job.result_data["steps"] == 60
    assert GanModel.objects.get(training_job=job).training_stats["step"] == 60


def test_a_training_whose_worker_died_is_requeued_and_resumes_from_its_checkpoint(celery_worker, alice,
                                                                                  ct_collection):
    """The job row says running, the heartbeat went stale, the run folder holds a 3-step checkpoint."""
    from gan_engine.config import TrainConfig, config_from_dict
    from gan_engine.training import train

    from generation.recipes import build_config
    from generation.tasks import train_gan
    from generation.training import dataset_for

    config = build_config("smoke", steps=8)
    stale = timezone.now() - timedelta(hours=1)
    job = Job.objects.create(kind="generation.train", task_name=train_gan.name, queue="gpu", owner=alice,
                             status=JobStatus.RUNNING, attempts=1, started_at=stale, heartbeat_at=stale,
                             worker="celery@lost-gpu-box",
                             params={"name": "crashed", "source": "collection",
                                     "collection": str(ct_collection.public_id),
                                     "recipe": "smoke", "config": config})
    cfg = config_from_dict(TrainConfig, config)
    polls = []  # the engine asks should_stop() once after every step
    train(cfg, run_dir(job), should_stop=lambda: polls.append(1) or len(polls) >= 3, dataset=dataset_for(job, cfg))
    assert checkpoint_step(run_dir(job)) == 3

    assert reap_orphaned_jobs().requeued == [job.pk]
    job = succeeded(wait_for(job))
    assert job.attempts == 2
    assert job.result_data["resumed_from_step"] == 3 and job.result_data["steps"] == 8


def test_it_refuses_a_training_job_with_an_unknown_recipe_or_someone_elses_collection(client, alice, charlie):
    from imaging.models import ImageCollection

    client.force_login(alice)
    url = reverse("api:training-job-list")
    response = client.post(url, {"name": "x", "recipe": "huge"}, content_type="application/json")
    assert response.status_code == 400 and "recipe" in response.json()
    theirs = ImageCollection.objects.create(owner=charlie, name="charlie's scans")
    response = client.post(url, {"name": "x", "recipe": "smoke", "source": "collection",
                                 "collection": str(theirs.public_id)}, content_type="application/json")
    assert response.status_code == 400 and "collection" in response.json()
    assert not Job.objects.exists()


def test_readers_cannot_start_training(client, bob):
    client.force_login(bob)
    response = client.post(reverse("api:training-job-list"), {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
