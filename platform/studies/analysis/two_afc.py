"""2-AFC: which of two images (one real, one synthetic) is real?

A trial is correct when the reader picked the real image: answer "left" with the left image real,
or "right" with the right one real. The proportion correct (PC) is an unbiased estimate of the
AUC the same reader would reach rating images one at a time (Green & Swets 1966, Signal Detection
Theory and Psychophysics, ch. 2: the area theorem), so PC = 0.5 is "cannot tell".

Per reader and pooled: PC with Wilson and Clopper–Pearson intervals and the exact binomial test
against 0.5.

MRMC on PC (Obuchowski–Rockette with Hillis df, as for AUC): the case is the PAIR (its real and
its synthetic image; the side it was shown on does not matter), and each trial's score is 1 if
correct, 0 if not, so a reader's figure of merit is the mean score over the pairs. Its
case-jackknife covariance has a closed form: leaving pair k out gives θ₍₋k₎ = (Kθ − s_k)/(K − 1),
so Cov(θ_a, θ_b) = Σ_k (s_ak − θ_a)(s_bk − θ_b) / (K(K − 1)) — which is also DeLong's estimator
for a mean (the structural component of a pair is its score), so both choices agree here. This
needs every reader to read the same pairs (a fully crossed 2-AFC study shares its pairs between
readers: studies/allocation.py); otherwise the section says MRMC is not applicable. Per source,
PC over the pairs whose synthetic image comes from it; two sources share no pair (each image is
in one pair), so their comparison is the nested design (Cov1 = Cov3 = 0).
"""
from __future__ import annotations

import numpy as np

from studies.analysis.comparisons import report
from studies.analysis.modalities import modality_masks
from studies.analysis.table import RatingsTable
from studies.stats.auc_covariance import ReaderAucs
from studies.stats.mrmc import compare_fitted, single_modality_from_fitted
from studies.stats.proportions import binomial_test, proportion


def correct_choices(table: RatingsTable) -> np.ndarray:
    """Per rating: the reader picked the real image."""
    left, right = table.answer == "left", table.answer == "right"
    return (left & (table.image_truth == 0)) | (right & (table.second_truth == 0))


def two_afc_section(table: RatingsTable, main: np.ndarray, rated: np.ndarray, confidence: float) -> dict:
    if table.study_design != "2afc":
        return {"applicable": False, "reason": "The study shows one image per trial."}
    answered = rated & np.isin(table.answer, ("left", "right"))
    correct = correct_choices(table)
    readers = []
    for reader in np.unique(table.reader[answered]).tolist():
        mask = answered & (table.reader == reader)
        readers.append({"reader": reader, **_pc(int(correct[mask].sum()), int(mask.sum()), confidence)})
    by_source = [{"source": label, **_pc(int(correct[mask].sum()), int(mask.sum()), confidence)}
                 for label, mask in modality_masks(table, answered).items() if mask.any()]
    return {"applicable": True, "readers": readers,
            "pooled": _pc(int(correct[answered].sum()), int(answered.sum()), confidence),
            "by_source": by_source, "mrmc": _mrmc(table, main, answered, correct, confidence)}


def _pc(successes: int, trials: int, confidence: float) -> dict:
    if trials == 0:
        return {"trials": 0, "proportion_correct": None}
    p = proportion(successes, trials, confidence)
    return {"trials": trials, "correct": successes, "proportion_correct": p.estimate, "wilson": list(p.wilson),
            "clopper_pearson": list(p.exact), "binomial_p": binomial_test(successes, trials).p_value}


def _mrmc(table: RatingsTable, main: np.ndarray, answered: np.ndarray, correct: np.ndarray, confidence: float) -> dict:
    real_image = np.where(table.image_truth == 0, table.image, table.second_image)
    fake_image = np.where(table.image_truth == 1, table.image, table.second_image)
    pair_key = np.char.add(np.char.add(real_image, "\x1f"), fake_image)
    readers, reader_index = np.unique(table.reader[main], return_inverse=True)
    pairs, pair_index = np.unique(pair_key[main], return_inverse=True)
    if len(readers) < 2:
        return {"applicable": False, "reason": "A random-reader MRMC analysis needs at least two readers."}
    present = np.zeros((len(readers), len(pairs)), bool)
    present[reader_index, pair_index] = True
    if not present.all():
        return {"applicable": False, "reason": "MRMC on 2-AFC needs every reader to read the same pairs "
                                               "(fully crossed)."}
    scores = np.full(present.shape, np.nan)
    ok = answered[main]
    scores[reader_index[ok], pair_index[ok]] = correct[main][ok]
    holes = np.isnan(scores).any(axis=0)
    source_of_pair = np.empty(len(pairs), dtype=object)
    source_of_pair[pair_index] = np.where(table.image_truth == 1, table.source, table.second_source)[main]
    labels = sorted(set(source_of_pair[~holes].tolist()))
    fits, members = {}, {}
    for label in labels:
        members[label] = (source_of_pair == label) & ~holes
        fits[label] = _fit(scores[:, members[label]][None])
    sources = {label: _attempt_single(fit) for label, fit in fits.items()}
    comparisons = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            comparisons.append((a, b, _attempt_pair(fits[a], fits[b], confidence)))
    out = report(sources, comparisons, readers.tolist(), table.equivalence_margin, confidence,
                 figure="proportion correct")
    out["dropped_pairs"] = int(holes.sum())
    return out


def _fit(scores: np.ndarray) -> ReaderAucs | str:
    """PC per reader [1, reader] and its jackknife covariance over pairs (module docstring)."""
    _, r, k = scores.shape
    if k < 2:
        return "An MRMC analysis of 2-AFC needs at least two pairs."
    theta = scores.mean(axis=-1)
    centred = (scores - theta[..., None]).reshape(r, k)
    covariance = (centred @ centred.T / (k * (k - 1))).reshape(1, r, 1, r)
    return ReaderAucs(theta, covariance, (k,), (k,), "jackknife")


def _attempt_single(fit):
    if isinstance(fit, str):
        return fit
    try:
        return single_modality_from_fitted(fit)
    except ValueError as error:
        return str(error)


def _attempt_pair(a, b, confidence: float):
    if isinstance(a, str) or isinstance(b, str):
        return a if isinstance(a, str) else b
    r = a.aucs.shape[1]
    covariance = np.zeros((2, r, 2, r))  # no shared pair: independent by design
    covariance[0, :, 0, :], covariance[1, :, 1, :] = a.covariance[0, :, 0, :], b.covariance[0, :, 0, :]
    fitted = ReaderAucs(np.vstack([a.aucs, b.aucs]), covariance, a.n_positive + b.n_positive,
                        a.n_negative + b.n_negative, "jackknife")
    try:
        return compare_fitted(fitted, "nested", confidence)
    except ValueError as error:
        return str(error)
