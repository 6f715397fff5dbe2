"""The default feature space: a fixed, randomly initialised convolutional network.

Why random: ImageNet features rank images by ImageNet-class evidence (Kynkäänniemi et al. 2023,
"The role of ImageNet classes in Fréchet Inception Distance", ICLR), which chest CT slices do not
contain, and ImageNet weights cannot be shipped or downloaded here. Naeem et al. 2020 (ICML,
section 5) show that randomly initialised CNN embeddings give informative fidelity/diversity
metrics for domains outside ImageNet. A random CNN is deterministic, needs no data or download,
and sees texture and structure at four scales. See docs/metrics.md for the trade-offs.

Network: input resized to 64x64 (bilinear, antialiased), four blocks of 3x3 conv -> LeakyReLU(0.2)
-> 2x2 average pooling with 32, 64, 128, 128 channels; the feature vector concatenates the global
average of blocks 1-3 with block 4 average-pooled to 2x2 (keeping coarse left/right, top/bottom
layout, which matters for anatomy): 32 + 64 + 128 + 512 = 736 dimensions.

Weights: He-normal (std sqrt(2 / fan_in)), zero biases, drawn from NumPy's legacy RandomState
(seed 0), whose stream NumPy guarantees never to change — unlike torch's or NumPy's newer
generators — so the feature space is identical on every machine and version.
"""
from __future__ import annotations

import hashlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

INPUT_SIZE = 64
CHANNELS: tuple[int, ...] = (32, 64, 128, 128)
SEED = 0
# Bump when the architecture or weight recipe changes: it is part of every feature-cache key.
VERSION = "random-cnn-v1"


class RandomConvNet(nn.Module):
    """The random-CNN feature extractor (see module docstring). Input [n, 1, H, W] in [-1, 1]."""

    def __init__(self, seed: int = SEED) -> None:
        super().__init__()
        rng = np.random.RandomState(seed)
        self.convs = nn.ModuleList()
        in_channels = 1
        for out_channels in CHANNELS:
            conv = nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1)
            fan_in = in_channels * 9
            weight = rng.standard_normal(conv.weight.shape) * np.sqrt(2.0 / fan_in)
            conv.weight.data = torch.from_numpy(weight.astype(np.float32))
            conv.bias.data.zero_()
            self.convs.append(conv)
            in_channels = out_channels
        self.requires_grad_(False)
        self.eval()

    @property
    def dim(self) -> int:
        return sum(CHANNELS[:-1]) + CHANNELS[-1] * 4

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = images.float()
        if x.shape[-2:] != (INPUT_SIZE, INPUT_SIZE):
            x = F.interpolate(x, size=(INPUT_SIZE, INPUT_SIZE), mode="bilinear",
                              align_corners=False, antialias=True)
        pooled = []
        for i, conv in enumerate(self.convs):
            x = F.avg_pool2d(F.leaky_relu(conv(x), 0.2), 2)
            if i < len(self.convs) - 1:
                pooled.append(x.mean(dim=(2, 3)))
            else:
                pooled.append(F.adaptive_avg_pool2d(x, 2).flatten(1))
        return torch.cat(pooled, dim=1)


class RandomCNNFeatures:
    """Feature extractor wrapper: `id`, `weights_sha256`, `dim` and `embed(images)`."""

    def __init__(self, seed: int = SEED) -> None:
        self.network = RandomConvNet(seed)
        self.id = f"{VERSION}-seed{seed}"
        self.label = f"random-CNN (untrained, seed {seed})"
        digest = hashlib.sha256()
        for name, tensor in sorted(self.network.state_dict().items()):
            digest.update(name.encode())
            digest.update(tensor.numpy().tobytes())
        self.weights_sha256 = digest.hexdigest()
        self.dim = self.network.dim

    @torch.no_grad()
    def embed(self, images: torch.Tensor) -> torch.Tensor:
        """[n, 1, H, W] in [-1, 1] -> float32 [n, 736]."""
        return self.network(images)
