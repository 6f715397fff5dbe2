"""Fréchet Inception Distance (Heusel et al. 2017, "GANs trained by a two time-scale update rule
converge to a local Nash equilibrium", NeurIPS, eq. 6).

FID = ||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 (S_r S_f)^(1/2)), in squared feature units. It is a
distance between Gaussians fitted to the two feature sets; 0 for identical statistics.

The trace of the matrix square root is computed without `sqrtm`: if S_r = A^T A and S_f = B^T B,
the non-zero eigenvalues of S_r S_f are the squared singular values of A B^T, so
Tr (S_r S_f)^(1/2) = sum of the singular values of A B^T (the nuclear norm). A and B come from a
thin QR of the centred data (never forming the covariance), which is both faster than a Schur-based
`sqrtm` and free of its spurious imaginary parts.
"""
from __future__ import annotations

import numpy as np

from gan_engine.metrics.bootstrap import percentile_interval, resample_replicates
from gan_engine.metrics.registry import MetricInputs, register_metric
from gan_engine.metrics.result import MetricResult

FID = "fid"


def _covariance_factor(features: np.ndarray) -> np.ndarray:
    """F with S = F^T F for the unbiased sample covariance S of `features` [n, d]: at most
    min(n, d) rows, so later products stay small."""
    n, d = features.shape
    if n < 2:
        raise ValueError(f"FID needs at least 2 feature vectors per set, got {n}")
    centred = features - features.mean(axis=0)
    if n > d:
        # S = (Q R)^T (Q R) / (n - 1) = R^T R / (n - 1) with R only d x d.
        centred = np.linalg.qr(centred, mode="r")
    return centred / np.sqrt(n - 1)


def frechet_distance(real: np.ndarray, fake: np.ndarray) -> float:
    """FID between two feature sets [n, d] (float; squared feature units). Heusel et al. 2017, eq. 6.

    Computed in float64. Tiny negative results from rounding are clipped to 0.
    """
    real = _as_features(real)
    fake = _as_features(fake)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"feature dimensions differ: {real.shape[1]} vs {fake.shape[1]}")
    mean_term = float(np.sum((real.mean(axis=0) - fake.mean(axis=0)) ** 2))
    a = _covariance_factor(real)
    b = _covariance_factor(fake)
    trace_sqrt = float(np.linalg.svd(a @ b.T, compute_uv=False).sum())
    value = mean_term + float(np.sum(a * a)) + float(np.sum(b * b)) - 2.0 * trace_sqrt
    return max(value, 0.0)


def _as_features(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"expected features [n, d], got shape {x.shape}")
    return x


@register_metric("fid", keys=(FID,))
def fid_metric(inputs: MetricInputs) -> dict[str, MetricResult]:
    """FID with a bias-corrected two-sample percentile bootstrap CI.

    FID is biased upwards in the sample size (Chong & Forsyth 2020, "Effectively unbiased FID and
    Inception Score and where to find them", CVPR), and a resample with replacement holds only
    ~63% distinct points, so raw bootstrap replicates sit above the estimate (often with the whole
    interval above it). The interval is therefore shifted by the bootstrap bias estimate
    mean(replicates) - value (Efron & Tibshirani 1993, section 10.6) and clipped at 0.
    """
    real, fake = inputs.real_features, inputs.fake_features
    value = frechet_distance(real, fake)
    replicates = resample_replicates(lambda ri, fi: frechet_distance(real[ri], fake[fi]),
                                     len(real), len(fake), inputs.n_bootstrap, inputs.rng("fid"))
    bias = float(np.mean(replicates)) - value if len(replicates) else 0.0
    low, high = percentile_interval(replicates - bias)
    return {FID: MetricResult(value, max(low, 0.0), max(high, 0.0), len(real), len(fake),
                              {"feature_dim": int(real.shape[1]), "n_bootstrap": inputs.n_bootstrap,
                               "bootstrap_bias": bias})}
