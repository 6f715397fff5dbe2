"""Diversity as mean pairwise MS-SSIM within a set (Odena, Olah & Shlens 2017, "Conditional image
synthesis with auxiliary classifier GANs", ICML, section 4.2; MS-SSIM: Wang et al. 2003).

High mean MS-SSIM between random pairs of images from one set means the images look alike: a
collapsed generator scores ~1. Compare the synthetic set's value with the real set's: a synthetic
value clearly above the real one signals too little variety. Dimensionless, in [0, 1].

Pairs: `DEFAULT_PAIRS` random pairs of distinct images per set (all pairs when there are fewer).
CI: percentile bootstrap over the pairs.
"""
from __future__ import annotations

import numpy as np
import torch

from gan_engine.metrics.bootstrap import mean_ci
from gan_engine.metrics.ms_ssim import ms_ssim, number_of_scales
from gan_engine.metrics.registry import NEEDS_IMAGES, MetricInputs, register_metric
from gan_engine.metrics.result import MetricResult

MS_SSIM_FAKE = "ms_ssim_fake"
MS_SSIM_REAL = "ms_ssim_real"

DEFAULT_PAIRS = 1000
# Pairs per MS-SSIM batch: bounds memory (64 px: ~10 MB per 256 pairs).
BATCH_PAIRS = 256


def random_pairs(n: int, n_pairs: int, rng: np.random.Generator) -> np.ndarray:
    """int64 [p, 2] index pairs i != j: all n(n-1)/2 pairs if that is <= n_pairs, else n_pairs
    pairs drawn uniformly (with replacement across pairs)."""
    if n < 2:
        raise ValueError(f"pairwise MS-SSIM needs at least 2 images, got {n}")
    if n * (n - 1) // 2 <= n_pairs:
        i, j = np.triu_indices(n, k=1)
        return np.stack([i, j], axis=1)
    i = rng.integers(0, n, size=n_pairs)
    j = (i + rng.integers(1, n, size=n_pairs)) % n  # uniform over j != i
    return np.stack([i, j], axis=1)


def pairwise_ms_ssim(images: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """MS-SSIM (float64 [p]) of the image pairs `pairs` [p, 2] from `images` [n, c, H, W] in [-1, 1]."""
    tensor = torch.as_tensor(np.asarray(images, dtype=np.float32))
    out = []
    for start in range(0, len(pairs), BATCH_PAIRS):
        block = torch.as_tensor(pairs[start:start + BATCH_PAIRS])
        out.append(ms_ssim(tensor[block[:, 0]], tensor[block[:, 1]], data_range=2.0))
    return torch.cat(out).numpy()


def mean_pairwise_ms_ssim(images: np.ndarray, n_pairs: int = DEFAULT_PAIRS, seed: int = 0) -> float:
    """Mean MS-SSIM over random pairs of distinct images [n, c, H, W] in [-1, 1]; in [0, 1]."""
    pairs = random_pairs(len(images), n_pairs, np.random.default_rng(seed))
    return float(pairwise_ms_ssim(images, pairs).mean())


@register_metric("diversity", keys=(MS_SSIM_FAKE, MS_SSIM_REAL), needs=(NEEDS_IMAGES,))
def diversity_metric(inputs: MetricInputs) -> dict[str, MetricResult]:
    """Mean pairwise MS-SSIM within the synthetic set and within the real set, with CIs."""
    rng = inputs.rng("diversity")
    n_real, n_fake = len(inputs.real_images), len(inputs.fake_images)
    results = {}
    for key, images in ((MS_SSIM_FAKE, inputs.fake_images), (MS_SSIM_REAL, inputs.real_images)):
        values = pairwise_ms_ssim(images, random_pairs(len(images), DEFAULT_PAIRS, rng))
        low, high = mean_ci(values, inputs.n_bootstrap, rng)
        results[key] = MetricResult(float(values.mean()), low, high, n_real, n_fake,
                                    {"n_pairs": int(len(values)),
                                     "scales": number_of_scales(min(images.shape[-2:])),
                                     "n_bootstrap": inputs.n_bootstrap})
    return results
