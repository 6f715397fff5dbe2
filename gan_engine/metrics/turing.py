"""Automated Turing test: can a classifier tell synthetic from real?

A classifier two-sample test (Lopez-Paz & Oquab 2017, "Revisiting classifier two-sample tests",
ICLR): L2-regularised logistic regression on standardised features, trained with stratified k-fold
cross-validation; every sample is scored by the model that did not see it, and the out-of-fold
scores give one ROC AUC. 0.5 = the sets are indistinguishable to this classifier, 1.0 = perfectly
separable. A high AUC says the generator leaves a trace an observer *could* learn; a low AUC does
not prove realism (the classifier is linear in the chosen feature space).

CI: DeLong, DeLong & Clarke-Pearson 1988 (Biometrics 44:837) variance of the AUC from the
structural components (computed with mid-ranks as in Sun & Xu 2014, IEEE SPL 21:1389), normal
approximation, clipped to [0, 1].
"""
from __future__ import annotations

import numpy as np
from scipy.stats import norm, rankdata

from gan_engine.metrics.bootstrap import CONFIDENCE
from gan_engine.metrics.registry import MetricInputs, register_metric
from gan_engine.metrics.result import MetricResult

TURING_AUC = "turing_auc"

DEFAULT_FOLDS = 5
# Inverse L2 strength of the logistic regression (scikit-learn's C) on standardised features.
DEFAULT_C = 1.0


def delong_auc(scores_positive: np.ndarray, scores_negative: np.ndarray) -> tuple[float, float]:
    """(AUC, variance) by DeLong et al. 1988. AUC = P(score_pos > score_neg) + 0.5 P(tie)."""
    pos = np.asarray(scores_positive, dtype=np.float64)
    neg = np.asarray(scores_negative, dtype=np.float64)
    m, n = len(pos), len(neg)
    if m < 2 or n < 2:
        raise ValueError(f"DeLong AUC needs at least 2 scores per class, got {m} and {n}")
    combined = rankdata(np.concatenate([pos, neg]))
    # Structural components: V10_i = fraction of negatives below positive i (ties count 1/2),
    # V01_j = fraction of positives above negative j.
    v10 = (combined[:m] - rankdata(pos)) / n
    v01 = 1.0 - (combined[m:] - rankdata(neg)) / m
    auc = float(v10.mean())
    variance = float(np.var(v10, ddof=1) / m + np.var(v01, ddof=1) / n)
    return auc, variance


def out_of_fold_scores(real: np.ndarray, fake: np.ndarray, *, folds: int = DEFAULT_FOLDS,
                       seed: int = 0, c: float = DEFAULT_C) -> tuple[np.ndarray, np.ndarray]:
    """(labels [n_real + n_fake], 1 = synthetic; out-of-fold P(synthetic) scores) from stratified
    k-fold logistic regression on features [n, d]."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    x = np.concatenate([np.asarray(real, dtype=np.float64), np.asarray(fake, dtype=np.float64)])
    y = np.concatenate([np.zeros(len(real), dtype=int), np.ones(len(fake), dtype=int)])
    folds = min(folds, len(real), len(fake))
    if folds < 2:
        raise ValueError("the automated Turing test needs at least 2 real and 2 synthetic samples")
    scores = np.empty(len(y))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(x, y):
        model = make_pipeline(StandardScaler(),
                              LogisticRegression(C=c, class_weight="balanced", max_iter=2000))
        model.fit(x[train_idx], y[train_idx])
        scores[test_idx] = model.predict_proba(x[test_idx])[:, 1]
    return y, scores


def turing_test_auc(real: np.ndarray, fake: np.ndarray, *, folds: int = DEFAULT_FOLDS, seed: int = 0,
                    confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(out-of-fold ROC AUC, CI low, CI high) of a real-vs-synthetic classifier on features [n, d]."""
    y, scores = out_of_fold_scores(real, fake, folds=folds, seed=seed)
    auc, variance = delong_auc(scores[y == 1], scores[y == 0])
    half = norm.ppf(0.5 + confidence / 2.0) * np.sqrt(max(variance, 0.0))
    return auc, max(0.0, auc - half), min(1.0, auc + half)


@register_metric("turing_test", keys=(TURING_AUC,))
def turing_metric(inputs: MetricInputs) -> dict[str, MetricResult]:
    """Out-of-fold ROC AUC of the real-vs-synthetic classifier with a DeLong CI."""
    real, fake = inputs.real_features, inputs.fake_features
    seed = int(inputs.rng("turing_test").integers(0, 2 ** 31 - 1))
    auc, low, high = turing_test_auc(real, fake, seed=seed)
    return {TURING_AUC: MetricResult(auc, low, high, len(real), len(fake),
                                     {"classifier": "logistic_regression", "folds": DEFAULT_FOLDS,
                                      "C": DEFAULT_C, "ci_method": "delong"})}
