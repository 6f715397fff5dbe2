"""DeLong structural components of the empirical (Wilcoxon) AUC, for many readers at once.

The empirical AUC of one reader is θ = (1/mn) Σ_p Σ_q ψ(X_p, Y_q), with X the m positive
(synthetic) and Y the n negative (real) scores, ψ = 1 if X > Y, ½ if tied, 0 otherwise
(Hanley & McNeil 1982). DeLong, DeLong & Clarke-Pearson (1988) split it into one number per case:

    V10_p = (1/n) Σ_q ψ(X_p, Y_q)    the share of negatives positive p beats
    V01_q = (1/m) Σ_p ψ(X_p, Y_q)    the share of positives that beat negative q

so that θ = mean(V10) = mean(V01). Both come from mid-ranks: a positive's rank among all scores
minus its rank among the positives counts the negatives below it (ties a half). Sorting once per
reader costs O(K log K) and numpy does every reader in one call, with no loop over cases.

The same components give the jackknife without refitting (leave one case out, in closed form):
leaving out positive p gives θ₍₋p₎ = (mθ − V10_p)/(m − 1), leaving out negative q gives
θ₍₋q₎ = (nθ − V01_q)/(n − 1), because V10_p (V01_q) is exactly that case's share of the pairs.
"""
from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def structural_components(positive_scores, negative_scores) -> tuple[np.ndarray, np.ndarray]:
    """V10 [..., m] and V01 [..., n] for scores [..., m] and [..., n]; leading axes (e.g. readers)
    are kept. Higher scores mean "more surely positive"; ties count a half."""
    positives = np.asarray(positive_scores, dtype=float)
    negatives = np.asarray(negative_scores, dtype=float)
    m, n = positives.shape[-1], negatives.shape[-1]
    all_ranks = rankdata(np.concatenate([positives, negatives], axis=-1), axis=-1)
    v10 = (all_ranks[..., :m] - rankdata(positives, axis=-1)) / n
    v01 = 1.0 - (all_ranks[..., m:] - rankdata(negatives, axis=-1)) / m
    return v10, v01


def leave_one_out_aucs(v10: np.ndarray, v01: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The AUC with each positive [..., m] and each negative [..., n] left out, from the components
    (closed form above; needs m, n ≥ 2)."""
    m, n = v10.shape[-1], v01.shape[-1]
    auc = v10.mean(axis=-1, keepdims=True)
    return (m * auc - v10) / (m - 1), (n * auc - v01) / (n - 1)
