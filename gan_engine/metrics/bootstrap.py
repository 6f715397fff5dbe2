"""Percentile bootstrap confidence intervals (Efron & Tibshirani 1993, "An Introduction to the
Bootstrap", ch. 13).

Two shapes of use: `mean_ci` for metrics that are a mean of per-sample values (precision, coverage,
pairwise MS-SSIM, memorisation flags), and `resample_ci` for metrics recomputed on resampled sets
(FID).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from gan_engine.metrics.result import MetricResult

CONFIDENCE = 0.95


def percentile_interval(replicates: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """(low, high) percentile interval of bootstrap replicates; (nan, nan) if there are none."""
    replicates = np.asarray(replicates, dtype=np.float64)
    replicates = replicates[np.isfinite(replicates)]
    if replicates.size == 0:
        return float("nan"), float("nan")
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(replicates, [alpha, 1.0 - alpha])
    return float(low), float(high)


def mean_ci(values: np.ndarray, n_bootstrap: int, rng: np.random.Generator,
            confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Percentile bootstrap CI of the mean of `values` (resampled with replacement).

    Done with multinomial counts so that B replicates cost one (B x n) @ (n,) product.
    """
    values = np.asarray(values, dtype=np.float64).ravel()
    n = values.size
    if n == 0 or n_bootstrap <= 0:
        return float("nan"), float("nan")
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=n_bootstrap)
    return percentile_interval(counts @ values / n, confidence)


def mean_results(terms: dict[str, np.ndarray], n_bootstrap: int, rng: np.random.Generator, n_real: int,
                 n_fake: int, extra: dict[str, Any]) -> dict[str, MetricResult]:
    """{key: the mean of terms[key] with its `mean_ci`}, drawing from `rng` in key order (for metrics that
    are several means of per-sample terms from one computation, e.g. precision and recall)."""
    return {key: MetricResult(float(values.mean()), *mean_ci(values, n_bootstrap, rng), n_real, n_fake, dict(extra))
            for key, values in terms.items()}


def resample_replicates(statistic: Callable[[np.ndarray, np.ndarray], float], n_real: int, n_fake: int,
                        n_bootstrap: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap replicates [n_bootstrap] of `statistic(real_idx, fake_idx)`, resampling both sets.

    The real and the synthetic set are independent samples, so each is resampled on its own
    (a two-sample bootstrap).
    """
    replicates = np.empty(max(n_bootstrap, 0))
    for b in range(len(replicates)):
        real_idx = rng.integers(0, n_real, size=n_real)
        fake_idx = rng.integers(0, n_fake, size=n_fake)
        replicates[b] = statistic(real_idx, fake_idx)
    return replicates


def resample_ci(statistic: Callable[[np.ndarray, np.ndarray], float], n_real: int, n_fake: int,
                n_bootstrap: int, rng: np.random.Generator,
                confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Percentile bootstrap CI of `statistic(real_idx, fake_idx)` (see `resample_replicates`)."""
    return percentile_interval(resample_replicates(statistic, n_real, n_fake, n_bootstrap, rng), confidence)
