"""Learning during the test, and reading time.

Accuracy against the trial's position in the reader's sequence, pooled over readers, in `bins`
equal-width bins of position, each with a Wilson interval; a rising band means readers learn to
spot the fakes as they go (there is no feedback after calibration, so the images themselves
teach). The trend is a least-squares slope of correctness on position with its two-sided p (a
linear probability model; descriptive, since reads of one reader are not independent).

Reading time: server_ms (serving to rating), falling back to client_ms where the server has none;
median and interquartile range by truth and by correctness of the call.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from studies.analysis.table import RatingsTable
from studies.stats.proportions import wilson_interval


def learning_section(table: RatingsTable, called: np.ndarray, correct: np.ndarray, confidence: float,
                     bins: int = 10) -> dict:
    out = {"accuracy_by_position": [], "trend": None, "reading_time": reading_times(table, called, correct)}
    if not called.any():
        return out
    position = table.position[called].astype(float)
    right = correct[called]
    edges = np.linspace(position.min(), position.max() + 1, bins + 1)
    which = np.clip(np.searchsorted(edges, position, side="right") - 1, 0, bins - 1)
    n = np.bincount(which, minlength=bins)
    k = np.bincount(which, weights=right.astype(float), minlength=bins)
    for b in range(bins):
        if n[b] == 0:
            continue
        low, high = wilson_interval(int(k[b]), int(n[b]), confidence)
        out["accuracy_by_position"].append({"from": float(edges[b]), "to": float(edges[b + 1]), "reads": int(n[b]),
                                            "correct": int(k[b]), "accuracy": k[b] / n[b], "low": low, "high": high})
    if len(np.unique(position)) > 1 and len(np.unique(right)) > 1:
        fit = stats.linregress(position, right.astype(float))
        out["trend"] = {"slope_per_100_trials": 100 * fit.slope, "p_value": fit.pvalue}
    return out


def reading_times(table: RatingsTable, called: np.ndarray, correct: np.ndarray) -> dict:
    ms = np.where(np.isfinite(table.server_ms), table.server_ms, table.client_ms)
    timed = called & np.isfinite(ms)
    groups = {"by_truth": {"real": timed & (table.image_truth == 0), "synthetic": timed & (table.image_truth == 1)},
              "by_correctness": {"correct": timed & correct, "wrong": timed & ~correct}}
    if table.study_design == "2afc":
        groups.pop("by_truth")  # both truths are on screen in every trial
    out = {"reads_with_time": int(timed.sum()),
           "from_client_clock": int((timed & ~np.isfinite(table.server_ms)).sum())}
    for key, masks in groups.items():
        out[key] = {label: _quartiles(ms[mask]) for label, mask in masks.items()}
    return out


def _quartiles(values: np.ndarray) -> dict:
    if len(values) == 0:
        return {"reads": 0, "median_ms": None, "q1_ms": None, "q3_ms": None}
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return {"reads": int(len(values)), "median_ms": float(median), "q1_ms": float(q1), "q3_ms": float(q3)}
