"""Small deterministic inputs shared by the metric tests."""
from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F


class PooledPixels:
    """A tiny, fast feature space for tests: 8x8 average-pooled pixels (64-d); counts its calls."""

    id = "test-pooled-pixels"
    weights_sha256 = "none"
    dim = 64

    def __init__(self) -> None:
        self.calls = 0
        self.images_embedded = 0

    def embed(self, images: torch.Tensor) -> torch.Tensor:
        self.calls += 1
        self.images_embedded += len(images)
        return F.adaptive_avg_pool2d(images, 8).flatten(1)


@pytest.fixture
def pooled_pixels() -> PooledPixels:
    return PooledPixels()


def blob_images(n: int, seed: int, size: int = 32) -> np.ndarray:
    """float32 [n, 1, size, size] in [-1, 1]: a bright Gaussian blob at a random place and width
    on a dark background, plus a little noise — varied, image-like test data."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
    images = np.empty((n, 1, size, size), dtype=np.float32)
    for i in range(n):
        cy, cx = rng.uniform(0.2 * size, 0.8 * size, size=2)
        sigma = rng.uniform(0.05 * size, 0.2 * size)
        blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * sigma ** 2))
        images[i, 0] = np.clip(2 * blob - 1 + rng.normal(0, 0.05, size=(size, size)), -1, 1)
    return images


@pytest.fixture
def make_blobs():
    """The `blob_images(n, seed, size=32)` factory."""
    return blob_images
