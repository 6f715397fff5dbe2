"""CTGAN's conditional vector and training-by-sampling (Xu et al., NeurIPS 2019, section 4.3).

Training: pick a discrete column uniformly, pick one of its categories with probability
proportional to log(1 + frequency) (so rare categories are seen often enough), build the
conditional vector (one-hot of that category inside the concatenation of all discrete columns'
one-hots) and the mask of the picked column, and draw a real row having that category.
Sampling: pick a column uniformly and a category with its empirical frequency, so that
unconditional samples follow the data's marginals.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class CondBatch:
    """cond: (B, cond_dim) one-hots; column: (B,) picked discrete column; category: (B,); rows: (B,)."""

    cond: np.ndarray
    column: np.ndarray
    category: np.ndarray
    rows: np.ndarray


class ConditionalSampler:
    """Builds conditional vectors over the discrete columns `names` with category `counts`."""

    def __init__(self, names: list[str], counts: list[list[int]],
                 codes: dict[str, np.ndarray] | None = None) -> None:
        self.names = list(names)
        self.counts = [np.asarray(c, dtype=np.float64) for c in counts]
        self.offsets = np.cumsum([0] + [len(c) for c in self.counts])[:-1]
        self.cond_dim = int(sum(len(c) for c in self.counts))
        # Row indices per (column, category): only needed for training.
        self._rows: list[list[np.ndarray]] | None = None
        if codes is not None:
            self._rows = [[np.flatnonzero(codes[name] == k) for k in range(len(c))]
                          for name, c in zip(self.names, self.counts)]

    @classmethod
    def from_codes(cls, names: list[str], sizes: list[int],
                   codes: dict[str, np.ndarray]) -> "ConditionalSampler":
        """A training sampler from category codes per column (`sizes` = categories per column)."""
        counts = [np.bincount(codes[n], minlength=k).tolist() for n, k in zip(names, sizes)]
        return cls(names, counts, codes)

    def _one_hot(self, column: np.ndarray, category: np.ndarray) -> np.ndarray:
        cond = np.zeros((len(column), self.cond_dim), dtype=np.float32)
        cond[np.arange(len(column)), self.offsets[column] + category] = 1.0
        return cond

    def _draw(self, column: np.ndarray, rng: np.random.Generator, log_frequency: bool) -> np.ndarray:
        category = np.empty(len(column), dtype=np.int64)
        for j in np.unique(column):
            weights = np.log1p(self.counts[j]) if log_frequency else self.counts[j]
            # Categories absent from the data are never asked for.
            weights = np.where(self.counts[j] > 0, weights, 0.0)
            idx = np.flatnonzero(column == j)
            category[idx] = rng.choice(len(weights), size=len(idx), p=weights / weights.sum())
        return category

    def sample_train(self, batch: int, rng: np.random.Generator) -> CondBatch:
        """Training-by-sampling: log-frequency categories and real rows that have them."""
        if self._rows is None:
            raise RuntimeError("this sampler was loaded without data; it can only sample conditions")
        column = rng.integers(len(self.names), size=batch)
        category = self._draw(column, rng, log_frequency=True)
        rows = np.array([rng.choice(self._rows[c][k]) for c, k in zip(column, category)])
        return CondBatch(self._one_hot(column, category), column, category, rows)

    def sample_original(self, batch: int, rng: np.random.Generator) -> np.ndarray:
        """Conditional vectors with categories at their empirical frequencies (for generation)."""
        column = rng.integers(len(self.names), size=batch)
        return self._one_hot(column, self._draw(column, rng, log_frequency=False))

    def fixed(self, batch: int, name: str, category: int) -> np.ndarray:
        """`batch` copies of the conditional vector asking for `category` of column `name`."""
        j = self.names.index(name)
        return self._one_hot(np.full(batch, j), np.full(batch, category))

    def to_dict(self) -> dict[str, Any]:
        """Column names and category counts (enough to sample conditions after loading)."""
        return {"names": self.names, "counts": [c.astype(int).tolist() for c in self.counts]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ConditionalSampler":
        """A sampling-only sampler from to_dict() output."""
        return cls(data["names"], data["counts"])
