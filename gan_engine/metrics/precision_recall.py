"""Improved precision and recall (Kynkäänniemi et al. 2019, "Improved precision and recall metric
for assessing generative models", NeurIPS, eqs. 1-3).

Each set's manifold is the union of hyperspheres around its samples with radius = distance to the
k-th nearest neighbour in the same set. Precision = fraction of synthetic samples inside the real
manifold (fidelity); recall = fraction of real samples inside the synthetic manifold (diversity).
A collapsed generator has recall ~0: its manifold shrinks to a point. Both lie in [0, 1].

CI: percentile bootstrap of the per-sample indicators with the manifolds held fixed, i.e. the
uncertainty of which samples were evaluated, not of the manifold estimate itself.
"""
from __future__ import annotations

import numpy as np

from gan_engine.metrics.knn import ball_radii, distance_blocks
from gan_engine.metrics.registry import register_per_sample_pair

PRECISION = "precision"
RECALL = "recall"

# Kynkäänniemi et al. 2019 use k = 3.
DEFAULT_K = 3


def manifold_membership(real: np.ndarray, fake: np.ndarray, k: int = DEFAULT_K
                        ) -> tuple[np.ndarray, np.ndarray]:
    """(fake_in_real [n_fake] bool, real_in_fake [n_real] bool) for feature sets [n, d].

    fake_in_real[j]: synthetic j lies within the k-NN radius of some real sample.
    real_in_fake[i]: real i lies within the k-NN radius of some synthetic sample.
    """
    real_radii = ball_radii(real, k)
    fake_radii = ball_radii(fake, k)
    fake_in_real = np.zeros(len(fake), dtype=bool)
    real_in_fake = np.zeros(len(real), dtype=bool)
    for rows, dist in distance_blocks(fake, real):  # dist[j, i] = |fake_j - real_i|
        fake_in_real[rows] = (dist <= real_radii[None, :]).any(axis=1)
        real_in_fake |= (dist <= fake_radii[rows, None]).any(axis=0)
    return fake_in_real, real_in_fake


precision_recall, precision_recall_metric = register_per_sample_pair(
    "precision_recall", (PRECISION, RECALL), DEFAULT_K, manifold_membership, "Precision and recall in [0, 1] (Kynkäänniemi et al. 2019).")
