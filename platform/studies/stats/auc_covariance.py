"""The reader × modality empirical AUCs of a reader study and their covariance matrix.

Input: ratings[modality, reader, case] (higher = more surely synthetic), truth[case] (1 synthetic,
0 real) and membership[modality, case] (which cases count in each modality's AUC). Full membership
is the classic paired design; two generators in one study share the real images but not the
synthetic ones; disjoint membership is a study with cases nested within modality.

Two estimators of Cov(θ̂_ij, θ̂_i'j'), for reader j in modality i:

- ``"delong"`` (DeLong, DeLong & Clarke-Pearson 1988), extended to partly shared cases. DeLong's
  linearisation θ̂ − θ ≈ (1/m) Σ_p (V10_p − θ) + (1/n) Σ_q (V01_q − θ) makes the covariance a sum
  over the cases both AUCs use: with S₊ the shared positives and S₋ the shared negatives,

      Cov = |S₊| s10 / (m_i m_i') + |S₋| s01 / (n_i n_i'),

  s10 (s01) the sample covariance (divisor |S| − 1) over S₊ (S₋) of the two AUCs' centred
  components. With every case shared this is DeLong's S10/m + S01/n. When the two generators
  share only the real images, S₊ is empty: the covariance between a reader's two AUCs comes only
  through the V01 of the shared real images, and the V10 of the two synthetic sets are independent.
- ``"jackknife"`` over cases (Efron 1982; as in the Iowa OR-DBM MRMC program, RJafroc and MRMCaov):
  with K the cases of the whole study and θ₍₋k₎ the AUC without case k (the closed forms in
  structural_components; an AUC that does not use case k keeps its value),
  Cov = ((K − 1)/K) Σ_k (θ_a₍₋k₎ − θ̄_a)(θ_b₍₋k₎ − θ̄_b). Two modalities that share no case are
  independent by design, so their cross-covariances are set to 0 (MRMCaov does the same for
  cases nested within modality).

Both cost O(modalities² × readers² × cases) in matrix products: no loop over readers or cases.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studies.stats.structural_components import leave_one_out_aucs, structural_components

COVARIANCE_METHODS = ("jackknife", "delong")


@dataclass(frozen=True)
class ReaderAucs:
    aucs: np.ndarray  # [modality, reader] empirical AUC of each reader in each modality
    covariance: np.ndarray  # [modality, reader, modality, reader] estimated Cov of those AUCs
    n_positive: tuple[int, ...]  # synthetic images in each modality's AUC
    n_negative: tuple[int, ...]  # real images in each modality's AUC
    method: str  # "jackknife" or "delong"


def reader_aucs(ratings, truth, membership=None, method: str = "jackknife") -> ReaderAucs:
    """AUCs and their covariance (see the module docstring). ratings [modality, reader, case];
    truth [case] (1 = synthetic); membership [modality, case] bool, None = every case everywhere."""
    ratings = np.asarray(ratings, dtype=float)
    if ratings.ndim != 3:
        raise ValueError("Ratings must be indexed [modality, reader, case].")
    t, r, k = ratings.shape
    truth = np.asarray(truth).astype(bool)
    membership = np.ones((t, k), bool) if membership is None else np.asarray(membership, dtype=bool)
    if truth.shape != (k,) or membership.shape != (t, k):
        raise ValueError("truth must be [case] and membership [modality, case], matching the ratings.")
    if method not in COVARIANCE_METHODS:
        raise ValueError(f"The covariance method must be one of {COVARIANCE_METHODS}.")
    positive, negative = membership & truth, membership & ~truth
    if (positive.sum(axis=1) < 2).any() or (negative.sum(axis=1) < 2).any():
        raise ValueError("Each modality needs at least two synthetic and two real images.")
    if np.isnan(ratings[np.broadcast_to(membership[:, None, :], ratings.shape)]).any():
        raise ValueError("Every reader must rate every case of each modality.")

    aucs = np.empty((t, r))
    v10, v01 = np.zeros((t, r, k)), np.zeros((t, r, k))  # components at their case, 0 elsewhere
    for i in range(t):  # a loop over modalities only (two in practice)
        v10_i, v01_i = structural_components(ratings[i][:, positive[i]], ratings[i][:, negative[i]])
        aucs[i] = v10_i.mean(axis=1)
        v10[i][:, positive[i]], v01[i][:, negative[i]] = v10_i, v01_i

    if method == "delong":
        covariance = _delong_covariance(aucs, v10, v01, positive, negative)
    else:
        covariance = _jackknife_covariance(aucs, v10, v01, positive, negative)
    return ReaderAucs(aucs, covariance, tuple(int(x) for x in positive.sum(axis=1)),
                      tuple(int(x) for x in negative.sum(axis=1)), method)


def _delong_covariance(aucs, v10, v01, positive, negative) -> np.ndarray:
    t, r, _ = v10.shape
    centred_pos = np.where(positive[:, None, :], v10 - aucs[..., None], 0.0)
    centred_neg = np.where(negative[:, None, :], v01 - aucs[..., None], 0.0)
    covariance = np.zeros((t, r, t, r))
    for i in range(t):
        for i2 in range(t):
            for centred, member in ((centred_pos, positive), (centred_neg, negative)):
                shared = int((member[i] & member[i2]).sum())
                if shared < 2:
                    continue  # no shared case of this truth: independent through it
                weight = shared / ((shared - 1) * member[i].sum() * member[i2].sum())
                covariance[i, :, i2, :] += weight * centred[i] @ centred[i2].T
    return covariance


def _jackknife_covariance(aucs, v10, v01, positive, negative) -> np.ndarray:
    t, r, _ = v10.shape
    in_study = (positive | negative).any(axis=0)
    left_out = np.repeat(aucs[..., None], v10.shape[-1], axis=-1)  # θ₍₋k₎ = θ if k is not used
    for i in range(t):
        without_pos, without_neg = leave_one_out_aucs(v10[i][:, positive[i]], v01[i][:, negative[i]])
        left_out[i][:, positive[i]], left_out[i][:, negative[i]] = without_pos, without_neg
    left_out = left_out[..., in_study].reshape(t * r, -1)
    k = left_out.shape[1]
    centred = left_out - left_out.mean(axis=1, keepdims=True)
    covariance = ((k - 1) / k * centred @ centred.T).reshape(t, r, t, r)
    members = positive | negative
    for i in range(t):
        for i2 in range(t):
            if not (members[i] & members[i2]).any():
                covariance[i, :, i2, :] = 0.0
    return covariance
