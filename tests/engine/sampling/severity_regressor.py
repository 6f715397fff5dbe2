"""A small CNN that reads nodule severity from a crop around the (known) lesion centre.

It is trained on REAL images with inserted nodules (LabelledCTDataset), never on generated ones,
so it is an independent judge of generated progression series: if frames of a "growth" series are
ranked in the right order by a model that has only seen real nodules, the generator's severity
axis means what it says (Spearman rank correlation, see `rank_agreement`).

Cropping at the condition's (x, y) is fair: position is part of the condition, not something the
regressor should have to find; it keeps the model tiny and its training to seconds on a CPU.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import Dataset


def crop_side(size: int) -> int:
    """Crop side in px: a quarter of the image (16 px at 64 px = 90 mm at 5.6 mm/px > 30 mm nodules)."""
    return max(16, size // 4)


def crop_around(images: torch.Tensor, positions: torch.Tensor, side: int) -> torch.Tensor:
    """Square crops [N,1,side,side] centred on positions [N,2] (x, y fractions); air (-1) outside."""
    n, _, h, w = images.shape
    pad = side
    padded = F.pad(images + 1, [pad] * 4) - 1
    crops = []
    for i in range(n):
        cx = int(torch.round(positions[i, 0] * w)) + pad
        cy = int(torch.round(positions[i, 1] * h)) + pad
        crops.append(padded[i, :, cy - side // 2:cy - side // 2 + side, cx - side // 2:cx - side // 2 + side])
    return torch.stack(crops)


class SeverityRegressor(nn.Module):
    """conv(16) -> conv(32, /2) -> conv(32, /2) -> global mean -> linear -> severity (unbounded)."""

    def __init__(self, side: int = 16) -> None:
        super().__init__()
        self.side = side
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.LeakyReLU(0.2),
            nn.Conv2d(16, 32, 3, padding=1, stride=2), nn.LeakyReLU(0.2),
            nn.Conv2d(32, 32, 3, padding=1, stride=2), nn.LeakyReLU(0.2),
        )
        self.head = nn.Linear(32 + 1, 1)

    def forward(self, crops: torch.Tensor) -> torch.Tensor:
        h = self.net(crops)
        # Mean activation and the crop's bright-pixel share: size is mostly "how much is dense".
        dense = (crops > -0.6).float().mean(dim=(1, 2, 3)).unsqueeze(1)
        return self.head(torch.cat([h.mean(dim=(2, 3)), dense], 1)).squeeze(1)


@dataclass
class FittedRegressor:
    """A trained regressor with its training error (mean absolute error in severity units)."""

    model: SeverityRegressor
    train_mae: float
    items: int

    @torch.no_grad()
    def predict(self, images: torch.Tensor, positions: torch.Tensor) -> torch.Tensor:
        """Severity estimates [N] for images [N,1,H,W] in [-1, 1] with lesion centres [N,2]."""
        self.model.eval()
        return self.model(crop_around(images.float(), positions.float(), self.model.side))


def lesion_items(dataset: Dataset, n: int, finding: int | None = None) -> dict[str, torch.Tensor]:
    """Stack the first n items with a lesion (optionally of one finding index) from a dataset."""
    keep: dict[str, list[torch.Tensor]] = {"image": [], "severity": [], "position": []}
    i = 0
    while len(keep["image"]) < n and i < len(dataset):
        item = dataset[i]
        i += 1
        f = int(item["finding"])
        if f == 0 or (finding is not None and f != finding):
            continue
        for key in keep:
            keep[key].append(torch.as_tensor(item[key]).float())
    return {k: torch.stack(v) for k, v in keep.items()}


def train_severity_regressor(dataset: Dataset, *, items: int = 768, steps: int = 400, batch_size: int = 64,
                             lr: float = 3e-3, seed: int = 0, finding: int | None = None) -> FittedRegressor:
    """Fit SeverityRegressor (MSE on severity) to real lesion items of `dataset` (seconds on a CPU)."""
    torch.manual_seed(seed)
    data = lesion_items(dataset, items, finding)
    size = data["image"].shape[-1]
    crops = crop_around(data["image"], data["position"], crop_side(size))
    target = data["severity"]
    model = SeverityRegressor(crop_side(size))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    for step in range(steps):
        idx = torch.randint(len(crops), (batch_size,), generator=g)
        loss = F.mse_loss(model(crops[idx]), target[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        mae = float((model(crops) - target).abs().mean())
    return FittedRegressor(model=model, train_mae=mae, items=len(crops))


def rank_agreement(predicted: torch.Tensor | np.ndarray, true: list[float] | np.ndarray) -> float:
    """Spearman rank correlation between predicted and true severities (scipy.stats.spearmanr)."""
    from scipy.stats import spearmanr

    return float(spearmanr(np.asarray(predicted, dtype=float), np.asarray(true, dtype=float)).statistic)
