"""Independent textbook implementations used only to cross-check the fast ones (tests and
benchmarks/metrics.py); `evaluate` never calls them.

They follow the papers' formulas literally: FID with scipy.linalg.sqrtm of S_r S_f (Heusel et al.
2017, eq. 6), KID as explicit sums over i != j on the same subsets (Bińkowski et al. 2018), and
precision/recall/density/coverage from a full scipy cdist distance matrix (Kynkäänniemi et al.
2019; Naeem et al. 2020).
"""
from __future__ import annotations

import numpy as np
from scipy.linalg import sqrtm
from scipy.spatial.distance import cdist


def fid_reference(real: np.ndarray, fake: np.ndarray) -> float:
    """||mu_r - mu_f||^2 + Tr(S_r + S_f - 2 sqrtm(S_r S_f)), float64, real part of sqrtm."""
    mu_r, mu_f = real.mean(axis=0), fake.mean(axis=0)
    s_r, s_f = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    covmean = sqrtm(s_r @ s_f)
    covmean = np.real(covmean)
    return float(np.sum((mu_r - mu_f) ** 2) + np.trace(s_r) + np.trace(s_f) - 2.0 * np.trace(covmean))


def mmd2_unbiased_loop(x: np.ndarray, y: np.ndarray) -> float:
    """Unbiased MMD^2 with k(a, b) = (a.b / d + 1)^3, as explicit Python loops (tiny inputs only)."""
    d = x.shape[1]
    k = lambda a, b: (float(np.dot(a, b)) / d + 1.0) ** 3  # noqa: E731
    m, n = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    yy = sum(k(y[i], y[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    xy = sum(k(x[i], y[j]) for i in range(m) for j in range(n)) / (m * n)
    return xx + yy - 2.0 * xy


def mmd2_unbiased(x: np.ndarray, y: np.ndarray) -> float:
    """The same estimator with float64 kernel matrices (sum minus diagonal)."""
    d = x.shape[1]
    k_xx = (x @ x.T / d + 1.0) ** 3
    k_yy = (y @ y.T / d + 1.0) ** 3
    k_xy = (x @ y.T / d + 1.0) ** 3
    m, n = len(x), len(y)
    return float((k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
                 + (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1)) - 2.0 * k_xy.mean())


def kid_reference(real: np.ndarray, fake: np.ndarray,
                  subsets: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """Mean of `mmd2_unbiased` over the given (real_idx, fake_idx) subsets."""
    return float(np.mean([mmd2_unbiased(real[r], fake[f]) for r, f in subsets]))


def prdc_reference(real: np.ndarray, fake: np.ndarray, k_pr: int = 3,
                   k_dc: int = 5) -> dict[str, float]:
    """precision, recall (k_pr) and density, coverage (k_dc) from full cdist matrices."""
    d_rr = cdist(real, real)
    d_ff = cdist(fake, fake)
    d_rf = cdist(real, fake)  # [n_real, n_fake]
    # Sorted row i: [0 (self), 1st NN, 2nd NN, ...] so column k is the k-th neighbour.
    r_real_pr = np.sort(d_rr, axis=1)[:, k_pr]
    r_fake_pr = np.sort(d_ff, axis=1)[:, k_pr]
    r_real_dc = np.sort(d_rr, axis=1)[:, k_dc]
    precision = np.mean([(d_rf[:, j] <= r_real_pr).any() for j in range(len(fake))])
    recall = np.mean([(d_rf[i, :] <= r_fake_pr).any() for i in range(len(real))])
    density = np.sum(d_rf <= r_real_dc[:, None]) / (k_dc * len(fake))
    coverage = np.mean(d_rf.min(axis=1) <= r_real_dc)
    return {"precision": float(precision), "recall": float(recall),
            "density": float(density), "coverage": float(coverage)}
