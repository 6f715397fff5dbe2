"""A toy stand-in for LabelledCTDataset: tiny, instant and deterministic (same item contract)."""
from __future__ import annotations

import pytest
import torch
from torch.utils.data import Dataset

from gan_engine.config import TrainConfig

# A shared 2-core machine: oversubscribed OpenMP threads make steps ~20x slower, not faster.
torch.set_num_threads(1)


class ToyChestDataset(Dataset):
    """Two dark ellipses ("lungs") on grey, a bright disc as the nodule; item i depends only on i."""

    def __init__(self, size: int = 16, length: int = 32) -> None:
        self.size, self.length = size, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i: int) -> dict[str, torch.Tensor]:
        g = torch.Generator().manual_seed(i)
        s = self.size
        yy, xx = torch.meshgrid((torch.arange(s) + 0.5) / s, (torch.arange(s) + 0.5) / s, indexing="ij")
        lungs = (((xx - 0.3) / 0.15) ** 2 + ((yy - 0.5) / 0.3) ** 2 < 1) | (((xx - 0.7) / 0.15) ** 2 + ((yy - 0.5) / 0.3) ** 2 < 1)
        finding = int(torch.randint(4, (1,), generator=g))
        severity = float(torch.rand(1, generator=g))
        pos = torch.tensor([0.3, 0.5]) + (torch.rand(2, generator=g) - 0.5) * 0.1
        lesion = (((xx - pos[0]) ** 2 + (yy - pos[1]) ** 2).sqrt() < 0.05 + 0.1 * severity) & (finding > 0)
        image = torch.where(lungs, -0.8, 0.1) + 0.05 * torch.randn(s, s, generator=g)
        image = torch.where(lesion, 0.3, image)
        return {"image": image[None].float(), "lesion_mask": lesion[None].float(), "lung_mask": lungs[None].float(),
                "finding": torch.tensor(finding), "severity": torch.tensor(severity if finding else 0.0),
                "position": pos.float(), "pixel_spacing_mm": torch.tensor(20.0)}


@pytest.fixture
def toy_dataset() -> ToyChestDataset:
    return ToyChestDataset(size=64)


@pytest.fixture
def tiny_config() -> TrainConfig:
    """A model of a few thousand parameters: a training step takes milliseconds on the CPU."""
    return TrainConfig(size=64, z_dim=8, lesion_z_dim=4, cond_dim=8, g_width=4, d_width=4, max_width=8,
                       lesion_width=4, steps=4, batch_size=2, reg_every=2, log_every=1, sample_every=0,
                       checkpoint_every=0, threads=1, device="cpu")
