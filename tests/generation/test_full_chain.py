"""The whole path a researcher takes, through real workers on both queues: upload real files ->
ingest (de-identification, renditions) -> train on the collection -> generate -> evaluate."""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from pydicom.data import get_testdata_file

from core.models import Job
from generation.models import Evaluation, GanModel, TrainingSource
from imaging.models import Image, ImageCollection, Origin
from tests.core.waiting import succeeded, wait_for
from tests.generation.conftest import ct_slices

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _imaging_folders(settings):
    settings.IMAGING_QUARANTINE_ROOT = ""  # under this test's MEDIA_ROOT
    settings.IMAGING_ORIGINALS_ROOT = ""


def _ct_png(hu: np.ndarray) -> bytes:
    """A 16-bit PNG as CT exports store it: HU + 1024."""
    out = io.BytesIO()
    PILImage.fromarray(np.clip(hu + 1024, 0, 65535).astype(np.uint16)).save(out, format="PNG")
    return out.getvalue()


def test_upload_ingest_train_generate_and_evaluate(celery_worker, client, alice, charlie):
    client.force_login(alice)
    files = [SimpleUploadedFile("CT_small.dcm", Path(get_testdata_file("CT_small.dcm")).read_bytes())]
    files += [SimpleUploadedFile(f"slice{i}.png", _ct_png(hu)) for i, hu in enumerate(ct_slices(5)[1:])]
    response = client.post(reverse("api:upload-list"), {"files": files, "collection_name": "chain", "modality": "CT"})
    assert response.status_code == 201, response.content
    upload = response.json()
    succeeded(wait_for(upload["job"]))
    report = client.get(reverse("api:upload-detail", args=[upload["id"]])).json()
    assert report["accepted"] == 5 and report["rejected"] == 0
    collection = ImageCollection.objects.get(public_id=upload["collection"])
    real = list(collection.images.all())
    assert len(real) == 5 and all(i.origin == Origin.REAL and i.is_hu for i in real)
    assert client.get(reverse("imaging:thumb", args=[real[0].token])).status_code == 200

    response = client.post(reverse("api:training-job-list"), {
        "name": "chain", "recipe": "smoke", "steps": 6, "source": "collection",
        "collection": str(collection.public_id)}, content_type="application/json")
    training = succeeded(wait_for(response.json()["job"]))
    model = GanModel.objects.get(training_job=training)
    assert model.training_source == TrainingSource.COLLECTION and model.training_collection == collection

    response = client.post(reverse("api:generation-job-list"), {"gan_model": str(model.public_id), "n": 3, "seed": 2,
                                                            "finding": "normal"}, content_type="application/json")
    generation = succeeded(wait_for(response.json()["job"]))
    fakes = Image.objects.filter(token__in=generation.result_data["images"])
    assert fakes.count() == 3 and {f.origin for f in fakes} == {Origin.SYNTHETIC}
    assert {f.provenance["checkpoint_sha256"] for f in fakes} == {model.checkpoint_sha256}

    response = client.post(reverse("api:evaluation-job-list"), {"gan_model": str(model.public_id), "n_real": 5, "n_fake": 6,
                                                            "n_bootstrap": 10}, content_type="application/json")
    evaluation = Evaluation.objects.get(job=succeeded(wait_for(response.json()["job"])))
    assert evaluation.inputs["real_set"] == f"collection {collection.public_id}"
    assert evaluation.metrics["fid"]["n_real"] == 5 and evaluation.metrics["fid"]["n_fake"] == 6
    assert evaluation.inputs["skipped_metrics"] == ["density_coverage"]  # k = 5 needs 6 real images
    assert all(evaluation.plot_path(name).is_file() for name in evaluation.plots)

    page = client.get(reverse("generation:model", args=[model.public_id]))
    assert page.status_code == 200 and b"nearest_pairs" in page.content
    client.force_login(charlie)
    assert client.get(reverse("imaging:thumb", args=[fakes[0].token])).status_code == 404
    assert client.get(reverse("generation:model", args=[model.public_id])).status_code == 404
    assert Job.objects.filter(owner=alice).count() == 4
