"""The blinding audit: can trivial features of the *served* files tell real from synthetic?

A reader should have only the image to go on. If file size, compression ratio, dimensions, grey
value statistics, noise, spectrum or the PNG's chunk layout separate the two sides, a reader (or a
script) could score above chance without judging realism. A cross-validated logistic regression on
these features gives an out-of-fold AUC (shown with DeLong's 95% CI). The audit is flagged when a
label-permutation test says that AUC is above chance (p < 0.05, one-sided: cross-validation on
data with no signal tends to give AUCs *below* 0.5, which is no leak). The permutation test, not
the CI, decides: out-of-fold scores come from different fitted models, and with the small pools
a study may start from the normal approximation is far from exact (a clean 5 + 5 pool had
AUC 0.84, CI 0.57–1.00). Each feature's own exact Mann–Whitney test (Bonferroni over FEATURES)
says which ones leak.

Pure: `audit(files)` takes (bytes, is_synthetic) pairs, so it audits whatever bytes the serving
path produces (studies.reading.reencoded_master for a study).
"""
from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field

import numpy as np
from PIL import Image as PILImage

from studies.stats.roc import AucResult, auc_with_ci

FEATURES = (
    "file_bytes", "compression_ratio", "width", "height", "mean", "std", "p01", "p50", "p99",
    "noise_std", "high_freq_share", "spectrum_slope", "chunk_count", "idat_count", "ancillary_bytes",
)
FOLDS = 5
MIN_PER_CLASS = 5
ALPHA = 0.05
PERMUTATIONS = 199  # the smallest p it can give is 1/200
STOP_AFTER = 10     # shuffles at least as good as the observed AUC before the test may stop early


def _png_chunks(data: bytes) -> list[tuple[bytes, int]]:
    chunks, at = [], 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append((kind, length))
        at += 12 + length
    return chunks


def _spectrum(values: np.ndarray) -> tuple[float, float]:
    """(share of power above half the Nyquist radius, log-log slope of the radial power spectrum)."""
    v = values - values.mean()
    power = np.abs(np.fft.fftshift(np.fft.fft2(v))) ** 2
    h, w = power.shape
    yy, xx = np.mgrid[:h, :w]
    radius = np.hypot((yy - h / 2) / (h / 2), (xx - w / 2) / (w / 2))
    total = power.sum() or 1.0
    high = float(power[radius > 0.5].sum() / total)
    bins = np.linspace(0.05, 1.0, 16)
    idx = np.digitize(radius, bins)
    radial = np.array([power[idx == i].mean() if np.any(idx == i) else np.nan for i in range(1, len(bins))])
    centres = (bins[:-1] + bins[1:]) / 2
    ok = np.isfinite(radial) & (radial > 0)
    slope = float(np.polyfit(np.log(centres[ok]), np.log(radial[ok]), 1)[0]) if ok.sum() >= 2 else 0.0
    return high, slope


def features(data: bytes) -> dict[str, float]:
    with PILImage.open(io.BytesIO(data)) as pil:
        values = np.asarray(pil, dtype=np.float64)
    if values.ndim == 3:
        values = values.mean(axis=2)
    h, w = values.shape
    raw_bytes = values.size * 2
    residual = values[1:-1, 1:-1] * 4 - values[:-2, 1:-1] - values[2:, 1:-1] - values[1:-1, :-2] - values[1:-1, 2:]
    high, slope = _spectrum(values)
    chunks = _png_chunks(data) if data[:8] == b"\x89PNG\r\n\x1a\n" else []
    ancillary = sum(length for kind, length in chunks if kind[:1].islower())
    p01, p50, p99 = np.percentile(values, [1, 50, 99])
    return {
        "file_bytes": float(len(data)), "compression_ratio": len(data) / raw_bytes, "width": float(w),
        "height": float(h), "mean": float(values.mean()), "std": float(values.std()), "p01": float(p01),
        "p50": float(p50), "p99": float(p99), "noise_std": float(residual.std()) if residual.size else 0.0,
        "high_freq_share": high, "spectrum_slope": slope, "chunk_count": float(len(chunks)),
        "idat_count": float(sum(kind == b"IDAT" for kind, _ in chunks)), "ancillary_bytes": float(ancillary),
    }


@dataclass(frozen=True)
class Leak:
    feature: str
    auc: float
    low: float
    high: float
    p_value: float  # exact two-sided Mann–Whitney, before the Bonferroni factor


@dataclass
class AuditResult:
    combined: AucResult
    p_value: float  # permutation test of the out-of-fold AUC against chance (one-sided)
    # Features whose own test rejects chance, Bonferroni-corrected over FEATURES (fifteen tests at
    # 5% would flag a clean pool about half the time): they say *what* leaks.
    leaks: list[Leak] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.p_value < ALPHA

    def to_dict(self) -> dict:
        c = self.combined
        return {"auc": c.auc, "low": c.low, "high": c.high, "p_value": self.p_value, "permutations": PERMUTATIONS,
                "n_real": c.n_negative, "n_synthetic": c.n_positive, "flagged": self.flagged,
                "leaks": [vars(leak) for leak in self.leaks]}


def _out_of_fold_scores(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Each image scored by a logistic regression fitted on the other folds. `x` is standardised
    already: scaling uses no labels, so doing it once for all folds leaks nothing."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    folds = min(FOLDS, int(min(y.sum(), (1 - y).sum())))
    scores = np.zeros(len(y))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(x, y):
        model = LogisticRegression(C=1.0, max_iter=2000).fit(x[train], y[train])
        scores[test] = model.decision_function(x[test])
    return scores


def _auc(scores: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    m = int(y.sum())
    return float((ranks[y == 1].sum() - m * (m + 1) / 2) / (m * (len(y) - m)))


def _permutation_p(x: np.ndarray, y: np.ndarray, observed: float, seed: int) -> float:
    """P(AUC ≥ observed | labels exchangeable): the same cross-validation on shuffled labels.

    Sequential (Besag & Clifford 1991): it stops once STOP_AFTER shuffles have reached the observed
    AUC, with p = STOP_AFTER / shuffles tried; a clean pool is done after a few dozen fits, a leaking
    one runs all PERMUTATIONS, p = (1 + reached) / (1 + PERMUTATIONS)."""
    rng = np.random.default_rng(seed)
    reached = 0
    for tried in range(1, PERMUTATIONS + 1):
        shuffled = rng.permutation(y)
        reached += _auc(_out_of_fold_scores(x, shuffled, seed), shuffled) >= observed
        if reached == STOP_AFTER:
            return STOP_AFTER / tried
    return (1 + reached) / (1 + PERMUTATIONS)


def audit(files: list[tuple[bytes, bool]], seed: int = 0) -> AuditResult:
    """files: (served bytes, is_synthetic) for every main pool image."""
    from scipy.stats import mannwhitneyu

    y = np.array([synthetic for _, synthetic in files], dtype=int)
    if y.sum() < MIN_PER_CLASS or (1 - y).sum() < MIN_PER_CLASS:
        raise ValueError(f"The audit needs at least {MIN_PER_CLASS} real and {MIN_PER_CLASS} synthetic images.")
    rows = [features(data) for data, _ in files]
    x = np.array([[row[name] for name in FEATURES] for row in rows])
    varying = np.ptp(x, axis=0) > 0
    x = x[:, varying] if varying.any() else np.zeros((len(y), 1))
    x = (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-12)
    scores = _out_of_fold_scores(x, y, seed)
    combined = auc_with_ci(scores, y)
    p_value = _permutation_p(x, y, combined.auc, seed) if varying.any() else 1.0
    leaks = []
    for name in FEATURES:
        column = np.array([row[name] for row in rows])
        if np.ptp(column) == 0:
            continue
        p = float(mannwhitneyu(column[y == 1], column[y == 0], alternative="two-sided").pvalue)
        if p < ALPHA / len(FEATURES):
            result = auc_with_ci(column, y, confidence=1 - ALPHA / len(FEATURES))
            leaks.append(Leak(name, result.auc, result.low, result.high, p))
    leaks.sort(key=lambda leak: -abs(leak.auc - 0.5))
    return AuditResult(combined, p_value, leaks)
