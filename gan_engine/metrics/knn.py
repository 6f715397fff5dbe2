"""Euclidean k-nearest-neighbour helpers shared by precision/recall, density/coverage and the
memorisation check. Distances are computed in float64 row blocks so that 10,000 x 10,000
comparisons never hold more than one block in memory."""
from __future__ import annotations

from typing import Iterator

import numpy as np

# Rows per block: 1024 x 10,000 float64 distances = 80 MB.
BLOCK_ROWS = 1024
# A sample's k-th neighbour lies exactly on its ball's boundary, but |a-b| and |b-a| from BLAS
# can differ in the last bits; radii are widened by this relative amount before "inside" tests.
BOUNDARY_RTOL = 1e-9


def distance_blocks(x: np.ndarray, y: np.ndarray,
                    block_rows: int = BLOCK_ROWS) -> Iterator[tuple[slice, np.ndarray]]:
    """Yield (row slice of x, Euclidean distances [rows, len(y)]) block by block.

    Uses |x|^2 + |y|^2 - 2 x.y on data centred on y's mean (centring shrinks the norms and with
    them the cancellation error of the expansion).
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    centre = y.mean(axis=0)
    x = x - centre
    y = y - centre
    y_sq = np.einsum("ij,ij->i", y, y)
    for start in range(0, len(x), block_rows):
        rows = slice(start, min(start + block_rows, len(x)))
        xb = x[rows]
        sq = np.einsum("ij,ij->i", xb, xb)[:, None] + y_sq[None, :] - 2.0 * (xb @ y.T)
        yield rows, np.sqrt(np.maximum(sq, 0.0))


def ball_radii(x: np.ndarray, k: int) -> np.ndarray:
    """`knn_radii` widened by BOUNDARY_RTOL: use these for "is a point inside the ball" tests."""
    return knn_radii(x, k) * (1.0 + BOUNDARY_RTOL)


def knn_radii(x: np.ndarray, k: int) -> np.ndarray:
    """Distance from each row of x [n, d] to its k-th nearest *other* row (float64 [n]).

    Kynkäänniemi et al. 2019, eq. 2: the radius of the hypersphere around each sample.
    """
    n = len(x)
    if not 1 <= k < n:
        raise ValueError(f"k must lie in [1, n-1] = [1, {n - 1}], got {k}")
    radii = np.empty(n)
    for rows, dist in distance_blocks(x, x):
        # The self-distance is exactly 0 and is the 0-th smallest, so index k skips it.
        dist[np.arange(dist.shape[0]), np.arange(rows.start, rows.stop)] = 0.0
        radii[rows] = np.partition(dist, k, axis=1)[:, k]
    return radii


def nearest_neighbours(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row of x, the index of its nearest row of y and that distance (int64, float64)."""
    index = np.empty(len(x), dtype=np.int64)
    distance = np.empty(len(x))
    for rows, dist in distance_blocks(x, y):
        index[rows] = np.argmin(dist, axis=1)
        distance[rows] = dist[np.arange(dist.shape[0]), index[rows]]
    return index, distance
