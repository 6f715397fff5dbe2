"""Equivalence testing and multiplicity.

TOST (Schuirmann 1987): equivalence to [low, high] is shown when both one-sided tests reject,
H0₁: θ ≤ low (t₁ = (θ̂ − low)/SE, p₁ = P(T > t₁)) and H0₂: θ ≥ high (t₂ = (θ̂ − high)/SE,
p₂ = P(T < t₂)), with T ~ t(df) (normal when df is infinite). p = max(p₁, p₂); at level α this is
the same as the 1 − 2α confidence interval lying inside [low, high]. For a Turing test the margin
sits around chance: "readers cannot tell" is AUC within [0.5 − δ, 0.5 + δ], with the AUC, SE and
Hillis df from `mrmc.analyse_single_modality`.

Holm (1979) step-down adjustment: with the m p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted
p̃₍ᵢ₎ = max over k ≤ i of min(1, (m − k + 1) p₍ₖ₎); it controls the family-wise error rate under any
dependence, and rejects everything Bonferroni does and often more.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Equivalence:
    estimate: float
    se: float
    df: float  # inf: normal reference
    low: float  # the equivalence margin
    high: float
    p_lower: float  # one-sided p against H0: θ ≤ low
    p_upper: float  # one-sided p against H0: θ ≥ high
    p_value: float  # max of the two
    interval: tuple[float, float]  # the 1 − 2α confidence interval
    alpha: float

    @property
    def equivalent(self) -> bool:
        return self.p_value < self.alpha


def tost(estimate: float, se: float, df: float, low: float, high: float, alpha: float = 0.05) -> Equivalence:
    """Two one-sided tests of `estimate` (standard error `se`, `df` degrees of freedom) against
    the margin [low, high]."""
    if not low < high:
        raise ValueError("The margin needs low < high.")
    if not se > 0:
        raise ValueError("The standard error must be positive.")
    reference = stats.norm if np.isinf(df) else stats.t(df)
    p_lower = float(reference.sf((estimate - low) / se))
    p_upper = float(reference.cdf((estimate - high) / se))
    half = float(reference.ppf(1 - alpha)) * se
    return Equivalence(estimate, se, float(df), low, high, p_lower, p_upper, max(p_lower, p_upper),
                       (estimate - half, estimate + half), alpha)


def auc_equivalence(auc: float, se: float, df: float, margin: float, alpha: float = 0.05) -> Equivalence:
    """TOST of an AUC against chance: equivalence region [0.5 − margin, 0.5 + margin]."""
    if not 0 < margin < 0.5:
        raise ValueError("The AUC margin must lie strictly between 0 and 0.5.")
    return tost(auc, se, df, 0.5 - margin, 0.5 + margin, alpha)


def holm_adjust(p_values) -> np.ndarray:
    """Holm step-down adjusted p-values, in the order given."""
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1 or ((p < 0) | (p > 1)).any():
        raise ValueError("p-values must be a 1-D list of numbers in [0, 1].")
    m = len(p)
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    adjusted = np.empty(m)
    adjusted[order] = stepped
    return adjusted
