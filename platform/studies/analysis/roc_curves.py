"""Each reader's ROC from the confidence scale: empirical AUC with DeLong's CI and the curve points.

Positive = synthetic, higher confidence = more surely synthetic (studies/stats/roc.py). The
empirical curve has one point per distinct confidence value t: (share of real images rated ≥ t,
share of synthetic images rated ≥ t), from (0, 0) to (1, 1); its trapezoidal area is the AUC.
Generators: each reader's AUC over all the images and per source (that source's synthetic images
against all the real ones); conditions: per condition.
"""
from __future__ import annotations

import numpy as np

from studies.analysis.modalities import modality_masks
from studies.analysis.table import RatingsTable
from studies.stats.roc import auc_with_ci


def roc_section(table: RatingsTable, rated: np.ndarray, confidence: float) -> dict:
    if table.study_design != "single":
        return {"applicable": False, "reason": "In 2-AFC the proportion correct is the AUC (see two_afc)."}
    masks = modality_masks(table, rated)
    readers = []
    for reader in np.unique(table.reader[rated]).tolist():
        mine = table.reader == reader
        entry = {"reader": reader, "overall": None}
        if table.comparison == "generators":
            entry["overall"] = reader_roc(table.confidence[rated & mine], table.image_truth[rated & mine], confidence)
        entry["by_source"] = {label: reader_roc(table.confidence[mask & mine], table.image_truth[mask & mine],
                                                confidence) for label, mask in masks.items()}
        readers.append(entry)
    return {"applicable": True, "readers": readers}


def reader_roc(scores: np.ndarray, truth: np.ndarray, confidence: float) -> dict | None:
    """AUC, DeLong CI and curve points; None with fewer than two images of a truth."""
    truth = truth.astype(bool)
    if truth.sum() < 2 or (~truth).sum() < 2:
        return None
    result = auc_with_ci(scores, truth, confidence)
    fpr, tpr = curve_points(scores, truth)
    return {"auc": result.auc, "low": result.low, "high": result.high, "se": result.se,
            "n_synthetic": result.n_positive, "n_real": result.n_negative, "fpr": fpr.tolist(), "tpr": tpr.tolist()}


def curve_points(scores: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Empirical ROC points (module docstring), thresholds from the highest score down."""
    thresholds = np.unique(scores)[::-1]
    positives, negatives = np.sort(scores[truth]), np.sort(scores[~truth])
    tpr = 1 - np.searchsorted(positives, thresholds, side="left") / len(positives)
    fpr = 1 - np.searchsorted(negatives, thresholds, side="left") / len(negatives)
    return np.r_[0.0, fpr], np.r_[0.0, tpr]
