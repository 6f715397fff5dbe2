"""Density and coverage (Naeem et al. 2020, "Reliable fidelity and diversity metrics for
generative models", ICML, eqs. 5-6).

Density = (1 / kM) sum_j sum_i 1[fake_j in B(real_i, r_i)]: how many real neighbourhoods contain
each synthetic sample, divided by k; ~1 when the two distributions match, may exceed 1.
Coverage = (1 / N) sum_i 1[some fake_j in B(real_i, r_i)]: the fraction of real neighbourhoods
that contain at least one synthetic sample, in [0, 1]. Only real-sample balls are used, which
makes both robust to synthetic outliers; a collapsed generator covers ~0 of the real balls.

CI: percentile bootstrap of the per-sample terms (density over synthetic samples, coverage over
real samples) with the real k-NN balls held fixed.
"""
from __future__ import annotations

import numpy as np

from gan_engine.metrics.knn import ball_radii, distance_blocks
from gan_engine.metrics.registry import register_per_sample_pair

DENSITY = "density"
COVERAGE = "coverage"

# Naeem et al. 2020 recommend k = 5.
DEFAULT_K = 5


def density_coverage_terms(real: np.ndarray, fake: np.ndarray, k: int = DEFAULT_K
                           ) -> tuple[np.ndarray, np.ndarray]:
    """(per-fake density term [n_fake] = balls containing it / k, per-real covered [n_real] bool)."""
    radii = ball_radii(real, k)
    density_terms = np.zeros(len(fake))
    nearest_fake = np.full(len(real), np.inf)
    for rows, dist in distance_blocks(fake, real):  # dist[j, i] = |fake_j - real_i|
        density_terms[rows] = (dist <= radii[None, :]).sum(axis=1) / k
        nearest_fake = np.minimum(nearest_fake, dist.min(axis=0))
    return density_terms, nearest_fake <= radii


density_coverage, density_coverage_metric = register_per_sample_pair(
    "density_coverage", (DENSITY, COVERAGE), DEFAULT_K, density_coverage_terms, "Density >= 0 and coverage in [0, 1] (Naeem et al. 2020).")
