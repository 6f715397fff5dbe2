"""Kernel Inception Distance (Bińkowski et al. 2018, "Demystifying MMD GANs", ICLR, section 3 and
appendix on KID).

KID is the unbiased estimator of the squared maximum mean discrepancy (Gretton et al. 2012, JMLR,
lemma 6) with the cubic polynomial kernel k(x, y) = (x^T y / d + 1)^3, averaged over random
subsets of the two sets. It is unbiased, so it may be slightly negative, and is ~0 for two samples
of one distribution. Units: squared kernel units (dimensionless).

Confidence interval: a two-sample bootstrap. Each replicate draws multinomial multiplicities for
every real and every synthetic sample once (one global resample), and every subset estimate is
re-weighted by the multiplicities of its members; the replicate's KID is the mean over subsets.
Pairs of copies of one sample are left out of the within-set sums (see `_weighted_mmd2`).
This reuses the subset kernel matrices, so B replicates cost B small matrix-vector products per
subset instead of B new kernel evaluations.
"""
from __future__ import annotations

import numpy as np

from gan_engine.metrics.bootstrap import percentile_interval
from gan_engine.metrics.registry import MetricInputs, register_metric
from gan_engine.metrics.result import MetricResult

KID = "kid"

# The sizes used by Bińkowski et al. and most published KID numbers.
DEFAULT_SUBSETS = 100
DEFAULT_SUBSET_SIZE = 1000


def polynomial_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """k(x, y) = (x^T y / d + 1)^3 for all rows of x [n, d] and y [m, d]; float64 [n, m].

    The inner products run in float32 (the cost is there; relative error ~1e-7) and the cube in
    float64.
    """
    d = x.shape[1]
    gram = (x.astype(np.float32, copy=False) @ y.astype(np.float32, copy=False).T).astype(np.float64)
    return (gram / d + 1.0) ** 3


def subset_indices(n_real: int, n_fake: int, n_subsets: int, subset_size: int,
                   rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """(real_idx, fake_idx) pairs drawn without replacement, of size min(subset_size, n) per set.

    A set no larger than subset_size is used whole; when both are, there is only one distinct
    subset, so one is returned. (The unbiased estimator does not need equal sizes.)
    """
    if min(n_real, n_fake) < 2:
        raise ValueError(f"KID needs at least 2 samples per set, got {n_real} real and {n_fake} fake")
    if n_real <= subset_size and n_fake <= subset_size:
        return [(np.arange(n_real), np.arange(n_fake))]

    def draw(n: int) -> np.ndarray:
        return np.arange(n) if n <= subset_size else rng.choice(n, subset_size, replace=False)

    return [(draw(n_real), draw(n_fake)) for _ in range(n_subsets)]


def _weighted_mmd2(k_rr: np.ndarray, k_ff: np.ndarray, k_rf: np.ndarray,
                   w_r: np.ndarray, w_f: np.ndarray) -> np.ndarray:
    """Unbiased MMD^2 for each row of multiplicities w_r [B, n], w_f [B, m].

    A U-statistic averages k over pairs of *different* samples; in a resample, two copies of one
    sample are not different samples (k(x, x) is the large diagonal and would bias the replicate
    upwards), so pairs of copies are left out: the sum is w^T K w - sum_i w_i^2 K_ii over
    W^2 - sum_i w_i^2 pairs, W = sum w. With w = 1 this is Gretton et al.'s estimator.
    """
    def within(k: np.ndarray, w: np.ndarray) -> np.ndarray:
        w_sq = w * w
        pairs = w.sum(axis=1) ** 2 - w_sq.sum(axis=1)
        return (np.einsum("bi,bi->b", w @ k, w) - w_sq @ np.diag(k)) / pairs

    with np.errstate(divide="ignore", invalid="ignore"):
        cross = np.einsum("bi,bi->b", w_r @ k_rf, w_f) / (w_r.sum(axis=1) * w_f.sum(axis=1))
        return within(k_rr, w_r) + within(k_ff, w_f) - 2.0 * cross


def kernel_inception_distance(real: np.ndarray, fake: np.ndarray, *, n_subsets: int = DEFAULT_SUBSETS,
                              subset_size: int = DEFAULT_SUBSET_SIZE, n_bootstrap: int = 0,
                              rng: np.random.Generator | None = None
                              ) -> tuple[float, np.ndarray]:
    """KID between feature sets [n, d] (Bińkowski et al. 2018).

    Returns (value, bootstrap replicates [n_bootstrap]). value is the mean over subsets of the
    unbiased MMD^2 with the cubic polynomial kernel (dimensionless).
    """
    real = np.asarray(real, dtype=np.float64)
    fake = np.asarray(fake, dtype=np.float64)
    if real.ndim != 2 or fake.ndim != 2 or real.shape[1] != fake.shape[1]:
        raise ValueError(f"expected features [n, d] with equal d, got {real.shape} and {fake.shape}")
    rng = rng if rng is not None else np.random.default_rng(0)
    subsets = subset_indices(len(real), len(fake), n_subsets, subset_size, rng)
    # Row 0: every sample once (the point estimate); rows 1..B: bootstrap multiplicities.
    w_real = np.vstack([np.ones(len(real)),
                        rng.multinomial(len(real), np.full(len(real), 1 / len(real)), size=n_bootstrap)])
    w_fake = np.vstack([np.ones(len(fake)),
                        rng.multinomial(len(fake), np.full(len(fake), 1 / len(fake)), size=n_bootstrap)])
    totals = np.zeros(n_bootstrap + 1)
    real32, fake32 = real.astype(np.float32), fake.astype(np.float32)  # convert once, not per subset
    for real_idx, fake_idx in subsets:
        x, y = real32[real_idx], fake32[fake_idx]
        totals += _weighted_mmd2(polynomial_kernel(x, x), polynomial_kernel(y, y), polynomial_kernel(x, y),
                                 w_real[:, real_idx], w_fake[:, fake_idx])
    estimates = totals / len(subsets)
    return float(estimates[0]), estimates[1:]


@register_metric("kid", keys=(KID,))
def kid_metric(inputs: MetricInputs) -> dict[str, MetricResult]:
    """KID with a bootstrap CI (see module docstring)."""
    real, fake = inputs.real_features, inputs.fake_features
    value, replicates = kernel_inception_distance(real, fake, n_bootstrap=inputs.n_bootstrap,
                                                  rng=inputs.rng("kid"))
    low, high = percentile_interval(replicates)
    whole = max(len(real), len(fake)) <= DEFAULT_SUBSET_SIZE
    return {KID: MetricResult(value, low, high, len(real), len(fake),
                              {"subset_size": DEFAULT_SUBSET_SIZE,
                               "n_subsets": 1 if whole else DEFAULT_SUBSETS,
                               "n_bootstrap": inputs.n_bootstrap})}
