"""Checkpoints for sampling tests: a random tiny one (instant) and the shipped demo checkpoint."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch

import gan_engine
from gan_engine.checkpoint import load_checkpoint, save_checkpoint
from gan_engine.config import TrainConfig
from gan_engine.models import build_generator

# A shared 2-core machine: oversubscribed OpenMP threads make steps ~20x slower, not faster.
torch.set_num_threads(1)

DEMO = Path(gan_engine.__file__).parent / "checkpoints" / "demo64"
TINY = TrainConfig(size=64, z_dim=8, lesion_z_dim=4, cond_dim=8, g_width=4, d_width=4, max_width=8, lesion_width=4)


@pytest.fixture
def tiny_checkpoint(tmp_path) -> Path:
    """An untrained tiny generator saved as a real checkpoint folder."""
    torch.manual_seed(0)
    generator = build_generator(TINY, pixel_spacing_mm=2.0)
    save_checkpoint(tmp_path / "ckpt", cfg=TINY, ema=generator, pixel_spacing_mm=2.0,
                    dataset_fingerprint="test", stats={"step": 0, "images_seen": 0})
    return tmp_path / "ckpt"


@pytest.fixture
def tiny_model(tiny_checkpoint):
    return load_checkpoint(tiny_checkpoint)


@pytest.fixture(scope="session")
def demo_model():
    """The shipped demo checkpoint (committed; `docs/engine.md` says how it was trained)."""
    return load_checkpoint(DEMO)


@pytest.fixture(scope="session")
def severity_judge():
    """SeverityRegressor fitted on REAL inserted-lesion images (LabelledCTDataset), ~10-20 s on a CPU."""
    from gan_engine.data.labelled import LabelledCTDataset
    from tests.engine.sampling.severity_regressor import train_severity_regressor

    return train_severity_regressor(LabelledCTDataset(64, seed=0), items=512, steps=800, lr=2e-3)
