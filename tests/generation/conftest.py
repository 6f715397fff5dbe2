"""Fixtures for the generation app: a tiny real checkpoint (trained once per session with
gan_engine.training.train), registered as alice's model; helpers to wait for jobs."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from core.models import Job

# The "smoke" recipe's model (gan_engine/configs/tiny.toml): a few thousand parameters.
TINY_STEPS = 4
N_SLICES = 6


def ct_slices(n: int = N_SLICES) -> list[np.ndarray]:
    """n distinct 128 px CT slices in HU: pydicom's real CT_small.dcm, shifted by a few px each."""
    import pydicom
    from pydicom.data import get_testdata_file

    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    hu = ds.pixel_array.astype(np.float32) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    return [np.roll(hu, (3 * i, -2 * i), axis=(0, 1)) for i in range(n)]


@pytest.fixture(scope="session", autouse=True)
def _one_torch_thread():
    """One intra-op thread: on a shared 2-core machine torch's default (all cores) spins and
    runs tiny models tens of times slower. Workers here are threads of this process."""
    import torch

    torch.set_num_threads(1)


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory) -> Path:
    """A real checkpoint folder from a 4-step run of the smoke recipe on the CT slices (seconds)."""
    import torch.nn.functional as F
    import torch

    from gan_engine.config import TrainConfig, config_from_dict
    from gan_engine.data.intensity import hu_to_unit
    from gan_engine.training import train

    from generation.realsets import CollectionDataset, RealSet
    from generation.recipes import build_config

    cfg = config_from_dict(TrainConfig, build_config("smoke", steps=TINY_STEPS))
    unit = torch.from_numpy(np.stack([hu_to_unit(s) for s in ct_slices()]))[:, None]
    images = F.interpolate(unit, size=(cfg.size, cfg.size), mode="area").numpy()
    dataset = CollectionDataset(RealSet(images, np.full(len(images), 1.3, np.float32), "CT_small"))
    return train(cfg, tmp_path_factory.mktemp("tiny-run"), dataset=dataset).checkpoint


@pytest.fixture
def ct_collection(alice):
    """alice's uploaded-style collection of real CT slices, stored through the imaging store."""
    from imaging.models import ImageCollection
    from imaging.store import create_image

    collection = ImageCollection.objects.create(owner=alice, name="CT slices")
    for hu in ct_slices():
        create_image(owner=alice, pixels=hu, is_hu=True, modality="CT", origin="real",
                     pixel_spacing_mm=0.66, collection=collection)
    return collection


@pytest.fixture
def gan_model(tiny_checkpoint, ct_collection, alice):
    """alice's registered copy of the tiny checkpoint (all finding classes), in this test's
    MEDIA_ROOT; its real set for evaluation is alice's CT collection."""
    from generation.models import TrainingSource
    from generation.seeding import register_checkpoint

    target = Path(settings.MEDIA_ROOT) / "generation" / "runs" / "fixture" / "checkpoint"
    shutil.copytree(tiny_checkpoint, target)
    model, _ = register_checkpoint(target, name="tiny-chest", version="1", created_by=alice,
                                   relative_path="generation/runs/fixture/checkpoint")
    model.training_source, model.training_collection = TrainingSource.COLLECTION, ct_collection
    model.save()
    return model


def post_job(client, user, url_name: str, data: dict) -> Job:
    """POST `data` as JSON to a job-creating API endpoint as `user`; the queued Job (202 expected)."""
    from django.urls import reverse

    client.force_login(user)
    response = client.post(reverse(url_name), data, content_type="application/json")
    assert response.status_code == 202, response.content
    return Job.objects.get(public_id=response.json()["job"])
