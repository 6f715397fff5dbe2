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
    return post_job(client, user, "api:evaluation-job-list", {"gan_model": str(model.public_id), **data})


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
        assert client.get(reverse("generation:evaluation-plot", args=[evaluation.public_id, name])).status_code == 200

    gan_model.refresh_from_db()
    assert gan_model.metrics["evaluation"] == str(evaluation.public_id)
    assert gan_model.metrics["fid"]["value"] == evaluation.metrics["fid"]["value"]
    detail = client.get(reverse("generation:model", args=[gan_model.public_id]))
    assert detail.status_code == 200 and b"metric_table" in detail.content
    api = client.get(reverse("api:gan-model-detail", args=[gan_model.public_id])).json()
    assert api["latest_evaluation"]["id"] == str(evaluation.public_id)

    client.force_login(charlie)
    url = reverse("generation:evaluation-plot", args=[evaluation.public_id, "metric_table"])
    assert client.get(url).status_code == 404


def test_the_nearest_pairs_of_a_shared_model_stay_with_the_owner_of_its_real_images(celery_worker, client, alice,
                                                                                    charlie, gan_model):
    gan_model.shared = True
    gan_model.save()
    evaluation = Evaluation.objects.get(job=succeeded(wait_for(
        _evaluate(client, alice, gan_model, n_real=N_SLICES, n_fake=6, n_bootstrap=0))))
    client.force_login(charlie)
    plot = "generation:evaluation-plot"
    assert client.get(reverse(plot, args=[evaluation.public_id, "metric_table"])).status_code == 200
    assert client.get(reverse(plot, args=[evaluation.public_id, "nearest_pairs"])).status_code == 404


def test_an_evaluation_without_its_real_set_fails_clearly(celery_worker, client, alice, gan_model, ct_collection):
    ct_collection.delete()
    job = wait_for(_evaluate(client, alice, gan_model, n_fake=4))
    assert job.status == JobStatus.FAILED and "no longer exists" in job.error
    assert not Evaluation.objects.exists()


def test_it_refuses_evaluation_settings_out_of_range(client, alice, gan_model):
    client.force_login(alice)
    response = client.post(reverse("api:evaluation-job-list"), {"gan_model": str(gan_model.public_id), "n_fake": 1},
                           content_type="application/json")
    assert response.status_code == 400 and "n_fake must lie in 4..2000" in str(response.json())


def test_the_registry_and_the_model_page_name_the_feature_space_of_each_fid(client, alice):
    """A bare FID means nothing: every table showing one says which network's features it used."""
    from generation.evaluation import summary
    from generation.models import GanModel

    label = "random-CNN (untrained, seed 0)"
    result = {"ci_low": 0.5, "ci_high": 0.9, "n_real": 8, "n_fake": 8, "extra": {}}
    metrics = {"fid": {**result, "value": 0.74, "feature_space_label": label},
               "kid": {**result, "value": 0.01, "feature_space_label": label},
               "ms_ssim_fake": {**result, "value": 0.3, "feature_space_label": None}}
    model = GanModel.objects.create(name="labelled", resolution=64, checkpoint_path="none", checkpoint_sha256="0",
                                    created_by=alice)
    evaluation = Evaluation.objects.create(gan_model=model, metrics=metrics, created_by=alice, plots={},
                                           inputs={"n_real": 8, "n_fake": 8, "seed": 0, "n_bootstrap": 10})
    model.metrics = {"evaluation": str(evaluation.public_id), **summary(metrics)}
    model.save()
    client.force_login(alice)

    registry = client.get(reverse("generation:index")).content.decode()
    assert f"0.74 (0.50–0.90)<br><span class=\"small\">in {label} features</span>" in registry
    page = client.get(reverse("generation:model", args=[model.public_id])).content.decode()
    for key in ("fid", "kid"):
        assert f'<td data-feature-space="{key}">{label} features</td>' in page
    assert '<td data-feature-space="ms_ssim_fake">pixels</td>' in page
    api = client.get(reverse("api:gan-model-detail", args=[model.public_id])).json()
    assert api["metrics"]["fid"]["feature_space_label"] == label and "extra" not in api["metrics"]["fid"]
    assert api["latest_evaluation"]["metrics"]["kid"]["feature_space_label"] == label
