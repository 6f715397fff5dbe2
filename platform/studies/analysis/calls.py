"""Binary calls ("real" / "synthetic") against truth: accuracy, sensitivity, specificity, d′ and c.

The call is the stored answer (the lower half of the confidence scale says "real"); sensitivity is
synthetic called synthetic, specificity real called real (studies/stats/proportions.py), d′ and the
criterion c come from the hit and false-alarm rates with the log-linear correction
(studies/stats/detection.py), so a reader who always says "real" has sensitivity 0, specificity 1,
d′ 0 and a large positive c: bias is reported apart from discrimination.

Per reader: every figure with Wilson and Clopper–Pearson intervals and the exact binomial test of
accuracy against 0.5. Pooled: the same over all the reads of a group (reads are not independent
across readers, so pooled intervals are too narrow for inference about readers; they describe).
Reader-averaged: the mean of the readers' figures with a t interval over readers (readers random,
cases fixed). Groups: each source (modalities.py), each finding class, each training level.
"""
from __future__ import annotations

import numpy as np
from scipy import stats

from studies.analysis.modalities import modality_masks
from studies.analysis.table import RatingsTable
from studies.stats.detection import detection
from studies.stats.proportions import binomial_test, proportion

NONE_LABEL = "(none)"


def called_reads(table: RatingsTable, reads: np.ndarray) -> np.ndarray:
    """The reads that carry a binary call (single design: answer real or synthetic)."""
    return reads & np.isin(table.answer, ("real", "synthetic"))


def calls_section(table: RatingsTable, reads: np.ndarray, confidence: float) -> dict:
    called = called_reads(table, reads)
    if not called.any():
        return {"applicable": False, "reason": "No read carries a binary real/synthetic call "
                                               "(2-AFC, or imported scores without a binary scale)."}
    calls, truth = table.answer == "synthetic", table.image_truth == 1
    readers = np.unique(table.reader[called])
    per_reader = []
    for reader in readers.tolist():
        mask = called & (table.reader == reader)
        per_reader.append({"reader": reader, **describe(calls[mask], truth[mask], confidence, test=True)})
    groups = {
        "by_source": modality_masks(table, called),
        "by_finding": {label or NONE_LABEL: called & (table.finding == label)
                       for label in np.unique(table.finding[called]).tolist()},
        "by_training_level": {label or NONE_LABEL: called & (table.reader_training_level == label)
                              for label in np.unique(table.reader_training_level[called]).tolist()},
    }
    out = {"applicable": True, "readers": per_reader,
           "reader_averaged": reader_averaged(table, called, calls, truth, confidence),
           "pooled": describe(calls[called], truth[called], confidence, test=False)}
    for key, masks in groups.items():
        out[key] = [{"label": label, "reads": int(mask.sum()),
                     "pooled": describe(calls[mask], truth[mask], confidence, test=False),
                     "reader_averaged": reader_averaged(table, mask, calls, truth, confidence)}
                    for label, mask in masks.items() if mask.any()]
    return out


def describe(calls: np.ndarray, truth: np.ndarray, confidence: float, test: bool) -> dict:
    """Accuracy, sensitivity, specificity (each with both intervals), d′ and c; with `test`, the
    exact two-sided binomial test of accuracy against 0.5."""
    correct = calls == truth
    synthetic, real = int(truth.sum()), int((~truth).sum())
    hits, false_alarms = int((calls & truth).sum()), int((calls & ~truth).sum())
    out = {"reads": int(len(calls)),
           "accuracy": _proportion(int(correct.sum()), len(calls), confidence),
           "sensitivity": _proportion(hits, synthetic, confidence),
           "specificity": _proportion(real - false_alarms, real, confidence),
           "d_prime": None, "criterion": None}
    if synthetic and real:
        found = detection(hits, synthetic, false_alarms, real)
        out["d_prime"], out["criterion"] = found.d_prime, found.criterion
    if test:
        out["binomial_p"] = binomial_test(int(correct.sum()), len(calls)).p_value if len(calls) else None
    return out


def _proportion(successes: int, trials: int, confidence: float) -> dict | None:
    if trials == 0:
        return None
    p = proportion(successes, trials, confidence)
    return {"successes": p.successes, "trials": p.trials, "estimate": p.estimate, "wilson": list(p.wilson),
            "clopper_pearson": list(p.exact)}


def reader_averaged(table: RatingsTable, mask: np.ndarray, calls: np.ndarray, truth: np.ndarray,
                    confidence: float) -> dict:
    """Mean over readers of each reader's accuracy, sensitivity, specificity, d′ and c, with a t
    interval over readers (readers random); readers lacking a class are left out of that figure."""
    readers, index = np.unique(table.reader[mask], return_inverse=True)
    r = len(readers)

    def count(weights) -> np.ndarray:
        return np.bincount(index, weights=weights.astype(float), minlength=r)

    t, c = truth[mask], calls[mask]
    n, synthetic = count(np.ones_like(t)), count(t)
    real, hits, false_alarms = n - synthetic, count(c & t), count(c & ~t)
    figures = {"accuracy": (count(c == t), n), "sensitivity": (hits, synthetic),
               "specificity": (real - false_alarms, real)}
    out = {"readers": int(r)}
    for name, (k, m) in figures.items():
        out[name] = _mean_interval(np.divide(k, m, out=np.full(r, np.nan), where=m > 0), confidence)
    both = (synthetic > 0) & (real > 0)
    found = [detection(int(h), int(s), int(f), int(q)) for h, s, f, q in
             zip(hits[both], synthetic[both], false_alarms[both], real[both])]
    out["d_prime"] = _mean_interval(np.array([d.d_prime for d in found]), confidence)
    out["criterion"] = _mean_interval(np.array([d.criterion for d in found]), confidence)
    return out


def _mean_interval(values: np.ndarray, confidence: float) -> dict:
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return {"mean": None, "sd": None, "low": None, "high": None, "readers": 0}
    mean = float(values.mean())
    if len(values) < 2:
        return {"mean": mean, "sd": None, "low": None, "high": None, "readers": 1}
    sd = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, len(values) - 1)) * sd / np.sqrt(len(values))
    return {"mean": mean, "sd": sd, "low": mean - half, "high": mean + half, "readers": int(len(values))}
