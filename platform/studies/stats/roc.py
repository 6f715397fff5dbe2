"""ROC AUC with DeLong's confidence interval (DeLong, DeLong & Clarke-Pearson 1988).

The AUC is the Mann-Whitney probability that a positive scores above a negative (ties count a
half). DeLong's variance comes from the structural components: for each positive, the share of
negatives it beats (V10); for each negative, the share of positives that beat it (V01).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from studies.stats.structural_components import structural_components


@dataclass(frozen=True)
class AucResult:
    auc: float
    low: float
    high: float
    se: float
    n_positive: int
    n_negative: int

    def excludes(self, value: float = 0.5) -> bool:
        return not (self.low <= value <= self.high)


def auc_with_ci(scores, labels, confidence: float = 0.95) -> AucResult:
    """labels: 1 for positive (e.g. synthetic), 0 for negative. The CI is clipped to [0, 1]."""
    scores, labels = np.asarray(scores, dtype=float), np.asarray(labels).astype(bool)
    positives, negatives = scores[labels], scores[~labels]
    m, n = len(positives), len(negatives)
    if m < 2 or n < 2:
        raise ValueError("An AUC with a confidence interval needs at least two of each class.")
    v10, v01 = structural_components(positives, negatives)
    auc = float(v10.mean())
    variance = v10.var(ddof=1) / m + v01.var(ddof=1) / n
    se = float(np.sqrt(max(variance, 0.0)))
    z = norm.ppf(0.5 + confidence / 2)
    return AucResult(auc, max(0.0, auc - z * se), min(1.0, auc + z * se), se, m, n)
