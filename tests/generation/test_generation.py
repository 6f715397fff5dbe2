"""Generation jobs through a real Celery worker: images, a progression series and patient-model
cases land in the imaging store with provenance only their owner sees; failures save nothing."""
from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core.jobs import create_job
from core.models import Job, JobStatus
from generation.models import PatientCase
from imaging.models import Image, ImageCollection, ImageSeries, Origin, SeriesKind
from tests.core.waiting import succeeded, wait_for
from tests.generation.conftest import post_job

pytestmark = pytest.mark.django_db(transaction=True)


def _generate(client, user, model, **data) -> Job:
    return post_job(client, user, "api:generation-job-list", {"gan_model": str(model.public_id), **data})


def _synthetic_images():
    return Image.objects.filter(origin=Origin.SYNTHETIC)


def test_it_generates_images_with_provenance_that_only_the_owner_sees(celery_worker, client, alice, charlie,
                                                                      gan_model):
    job = succeeded(wait_for(_generate(client, alice, gan_model, output="images", n=3, seed=5, placement="exact",
                                       finding="solid_nodule", severity=0.6, x=0.3, y=0.4)))

    images = list(Image.objects.filter(token__in=job.result_data["images"]).order_by("id"))
    assert len(images) == 3 == _synthetic_images().count()
    collection = ImageCollection.objects.get(public_id=job.result_data["collection"])
    assert job.result == collection and all(i.collection == collection and i.owner == alice for i in images)
    for seed, image in zip((5, 6, 7), images):
        p = image.provenance
        assert (p["model_name"], p["model_version"], p["seed"]) == ("tiny-chest", "1", seed)
        assert p["checkpoint_sha256"] == gan_model.checkpoint_sha256 and p["gan_model"] == str(gan_model.public_id)
        assert p["conditions"] == [{"finding": "solid_nodule", "severity": 0.6, "x": 0.3, "y": 0.4}]
        assert "placement" not in p  # drawn exactly where asked
        assert image.is_hu and image.modality == "CT"
        assert all(default_storage.exists(f.name) for f in (image.master, image.display, image.thumb))

    thumb = reverse("imaging:thumb", args=[images[0].token])
    assert client.get(thumb).status_code == 200
    mine = client.get(reverse("api:image-list")).json()
    assert any(row.get("provenance", {}).get("seed") == 5 for row in mine["results"])
    client.force_login(charlie)
    assert client.get(thumb).status_code == 404
    assert client.get(reverse("api:image-detail", args=[images[0].token])).status_code == 404
    assert client.get(reverse("api:image-list")).json()["count"] == 0


def test_a_progression_job_stores_one_series_in_time_order(celery_worker, client, alice, gan_model):
    job = succeeded(wait_for(_generate(client, alice, gan_model, output="progression", seed=3, steps=4,
                                       schedule="growth", finding="part_solid_nodule")))

    series = ImageSeries.objects.get(token=job.result_data["series"])
    assert series.kind == SeriesKind.PROGRESSION and series.owner == alice and job.result == series
    frames = list(series.images.order_by("position"))
    assert [f.position for f in frames] == [0, 1, 2, 3]
    assert [f.token for f in frames] == job.result_data["images"]
    points = [f.provenance["progression"] for f in frames]
    assert [p["time_point"] for p in points] == [0, 1, 2, 3]
    severities = [p["severity"] for p in points]
    assert severities == sorted(severities) and severities[0] < severities[-1]
    assert {f.provenance["seed"] for f in frames} == {3}  # one patient


def test_patient_model_cases_carry_profile_risk_and_fleischner_answer(celery_worker, client, alice, gan_model):
    job = succeeded(wait_for(_generate(client, alice, gan_model, output="patient_cases", n=4, seed=11, finding="")))

    cases = list(PatientCase.objects.filter(job=job).select_related("image"))
    assert len(cases) == 4
    for case in cases:
        assert case.owner == alice and case.image.origin == Origin.SYNTHETIC
        assert case.profile["age_years"] >= 18 and case.history
        assert case.image.provenance["patient"] == case.profile
        assert case.image.provenance["conditions"] == [case.condition]
        if case.condition["finding"] == "normal":
            assert case.brock_risk is None
        else:
            assert 0 < case.brock_risk < 1 and case.fleischner["text"] and "Brock" in case.answer_text


def test_a_missing_checkpoint_file_fails_the_job_with_a_clear_error_and_saves_nothing(celery_worker, client,
                                                                                        alice, gan_model):
    (gan_model.checkpoint_dir / "generator.safetensors").unlink()
    job = wait_for(_generate(client, alice, gan_model, n=2))

    assert job.status == JobStatus.FAILED
    assert "checkpoint" in job.error and "missing generator.safetensors" in job.error
    assert "Traceback" not in job.error
    assert not _synthetic_images().exists()
    assert not ImageCollection.objects.exclude(name="CT slices").exists()


def test_a_corrupt_checkpoint_fails_the_job_with_a_clear_error_and_saves_nothing(celery_worker, client,
                                                                                  alice, gan_model):
    weights = gan_model.checkpoint_dir / "generator.safetensors"
    weights.write_bytes(weights.read_bytes()[:-64] + b"\0" * 64)
    job = wait_for(_generate(client, alice, gan_model, n=2))

    assert job.status == JobStatus.FAILED and "corrupt checkpoint" in job.error
    assert not _synthetic_images().exists()


def test_bad_condition_values_are_refused_by_the_api(client, alice, gan_model):
    client.force_login(alice)
    url = reverse("api:generation-job-list")
    for bad in ({"severity": 1.5}, {"finding": "fracture"}, {"x": -0.1}, {"output": "progression", "steps": 1},
                {"n": 0}, {"seed": -1}):
        response = client.post(url, {"gan_model": str(gan_model.public_id), **bad}, content_type="application/json")
        assert response.status_code == 400, bad
    assert "severity must lie in [0, 1]" in str(
        client.post(url, {"gan_model": str(gan_model.public_id), "severity": 1.5},
                    content_type="application/json").json())
    assert not Job.objects.exists()


def test_a_job_with_bad_condition_values_fails_clearly_and_saves_nothing(celery_worker, alice, gan_model):
    """Params that skipped the API's checks (an old client, a hand-made job) are checked again."""
    from generation.tasks import generate_images

    job = create_job(task=generate_images, owner=alice,
                     params={"gan_model": str(gan_model.public_id), "output": "images", "n": 2, "severity": 7})
    job = wait_for(job)
    assert job.status == JobStatus.FAILED
    assert job.error == "Invalid generation request: severity must lie in [0, 1], got 7.0"
    assert not _synthetic_images().exists()


def test_a_model_trained_on_normal_images_only_refuses_nodules(client, alice, gan_model):
    gan_model.finding_classes, gan_model.supports_severity = ["normal"], False
    gan_model.save()
    client.force_login(alice)
    response = client.post(reverse("api:generation-job-list"),
                           {"gan_model": str(gan_model.public_id), "finding": "solid_nodule"},
                           content_type="application/json")
    assert response.status_code == 400 and "cannot make 'solid_nodule'" in str(response.json())


def test_outsiders_cannot_see_or_use_a_private_model(client, charlie, bob, gan_model):
    client.force_login(charlie)
    assert client.get(reverse("api:gan-model-detail", args=[gan_model.public_id])).status_code == 404
    assert client.get(reverse("api:gan-model-list")).json()["count"] == 0
    response = client.post(reverse("api:generation-job-list"), {"gan_model": str(gan_model.public_id)},
                           content_type="application/json")
    assert response.status_code == 400 and "No such model" in str(response.json())
    assert client.get(reverse("generation:model", args=[gan_model.public_id])).status_code == 404
    client.force_login(bob)  # a reader
    assert client.get(reverse("api:gan-model-list")).status_code == 403


def test_a_shared_model_is_listed_for_everyone_in_the_registry(client, charlie, gan_model):
    gan_model.shared = True
    gan_model.save()
    client.force_login(charlie)
    body = client.get(reverse("api:gan-model-list")).json()
    assert [row["name"] for row in body["results"]] == ["tiny-chest"]
    assert body["results"][0]["checkpoint_sha256"] == gan_model.checkpoint_sha256
