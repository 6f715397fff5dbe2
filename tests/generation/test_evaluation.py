"""Evaluation jobs: the engine's metrics against the model's real set, stored with CIs and plots."""
from __future__ import annotations

import math

import pytest
from django.urls import reverse

from core.models import Job, JobStatus
from generation.models import Evaluation
from tests.core.waiting import succeeded, wait_for
from tests.generation.conftest import N_SLICES, post_job

pytestmark = pytest.mark.django_db(transaction=True)


def _evaluate(client, user, model, **data) -> Job:
    return post_job(client, user, "evaluation-job-list", {"gan_model": model.pk, **data})


def test_an_evaluation_stores_metrics_with_confidence_intervals_and_plots(celery_worker, client, alice, charlie,
                                                                         gan_model):
    job = succeeded(wait_for(_evaluate(client, alice, gan_model, n_real=N_SLICES, n_fake=8, n_bootstrap=20)))

    evaluation = Evaluation.objects.get(job=job)
    assert job.result == evaluation and evaluation.gan_model == gan_model
    assert evaluation.inputs["checkpoint_sha256"] == gan_model.checkpoint_sha256
    assert {"fid", "kid", "precision", "recall", "memorisation"} <= set(evaluation.metrics)
    for key in ("fid", "kid", "memorisation"):
        m = evaluation.metrics[key]
        assert m["ci_low"] <= m["value"] <= m["ci_high"] and math.isfinite(m["value"]), key
        assert (m["n_real"], m["n_fake"]) == (N_SLICES, 8)
    pairs = evaluation.metrics["memorisation"]["extra"]["pairs"]
    assert len(pairs) == 8 and all(0 <= p["pixel_nearest_train"] < N_SLICES for p in pairs)

    assert set(evaluation.plots) == {"metric_table", "sample_grid", "nearest_pairs"}
    for name in evaluation.plots:
        assert evaluation.plot_path(name).read_bytes().startswith(b"\x89PNG"), name
        assert client.get(reverse("generation:evaluation-plot", args=[evaluation.pk, name])).status_code == 200

    gan_model.refresh_from_db()
    assert gan_model.metrics["evaluation"] == evaluation.pk
    assert gan_model.metrics["fid"]["value"] == evaluation.metrics["fid"]["value"]
    detail = client.get(reverse("generation:model", args=[gan_model.pk]))
    assert detail.status_code == 200 and b"metric_table" in detail.content
    api = client.get(reverse("gan-model-detail", args=[gan_model.pk])).json()
    assert api["latest_evaluation"]["id"] == evaluation.pk

    client.force_login(charlie)
    url = reverse("generation:evaluation-plot", args=[evaluation.pk, "metric_table"])
    assert client.get(url).status_code == 404


def test_the_nearest_pairs_of_a_shared_model_stay_with_the_owner_of_its_real_images(celery_worker, client, alice,
                                                                                    charlie, gan_model):
    gan_model.shared = True
    gan_model.save()
    evaluation = Evaluation.objects.get(job=succeeded(wait_for(
        _evaluate(client, alice, gan_model, n_real=N_SLICES, n_fake=6, n_bootstrap=0))))
    client.force_login(charlie)
    assert client.get(reverse("generation:evaluation-plot", args=[evaluation.pk, "metric_table"])).status_code == 200
    assert client.get(reverse("generation:evaluation-plot", args=[evaluation.pk, "nearest_pairs"])).status_code == 404


def test_an_evaluation_without_its_real_set_fails_clearly(celery_worker, client, alice, gan_model, ct_collection):
    ct_collection.delete()
    job = wait_for(_evaluate(client, alice, gan_model, n_fake=4))
    assert job.status == JobStatus.FAILED and "no longer exists" in job.error
    assert not Evaluation.objects.exists()


def test_it_refuses_evaluation_settings_out_of_range(client, alice, gan_model):
    client.force_login(alice)
    response = client.post(reverse("evaluation-job-list"), {"gan_model": gan_model.pk, "n_fake": 1},
                           content_type="application/json")
    assert response.status_code == 400 and "n_fake must lie in 4..2000" in str(response.json())
