"""The blinding audit: can trivial features of the *served* files tell real from synthetic?

A reader should have only the image to go on. If file size, compression ratio, dimensions, grey
value statistics, noise, spectrum or the PNG's chunk layout separate the two sides, a reader (or a
script) could score above chance without judging realism. A cross-validated logistic regression on
these features gives an out-of-fold AUC with DeLong's 95% CI; if the CI excludes 0.5 the audit is
flagged, and each feature's own AUC says which ones leak.

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


@dataclass
class AuditResult:
    combined: AucResult
    # Features whose own AUC's CI excludes 0.5, Bonferroni-corrected over FEATURES (fifteen 95%
    # intervals would flag a clean pool about half the time): they say *what* leaks.
    leaks: list[Leak] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        """The classifier's cross-validated AUC: its 95% CI excludes chance."""
        return self.combined.excludes(0.5)

    def to_dict(self) -> dict:
        c = self.combined
        return {"auc": c.auc, "low": c.low, "high": c.high, "n_real": c.n_negative, "n_synthetic": c.n_positive,
                "flagged": self.flagged, "leaks": [vars(leak) for leak in self.leaks]}


def _out_of_fold_scores(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    folds = min(FOLDS, int(min(y.sum(), (1 - y).sum())))
    scores = np.zeros(len(y))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(x, y):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=2000))
        model.fit(x[train], y[train])
        scores[test] = model.predict_proba(x[test])[:, 1]
    return scores


def audit(files: list[tuple[bytes, bool]], seed: int = 0) -> AuditResult:
    """files: (served bytes, is_synthetic) for every main pool image."""
    y = np.array([synthetic for _, synthetic in files], dtype=int)
    if y.sum() < MIN_PER_CLASS or (1 - y).sum() < MIN_PER_CLASS:
        raise ValueError(f"The audit needs at least {MIN_PER_CLASS} real and {MIN_PER_CLASS} synthetic images.")
    rows = [features(data) for data, _ in files]
    x = np.array([[row[name] for name in FEATURES] for row in rows])
    x = x[:, np.ptp(x, axis=0) > 0] if np.any(np.ptp(x, axis=0) > 0) else np.zeros((len(y), 1))
    combined = auc_with_ci(_out_of_fold_scores(x, y, seed), y)
    leaks = []
    for name in FEATURES:
        column = np.array([row[name] for row in rows])
        if np.ptp(column) == 0:
            continue
        result = auc_with_ci(column, y, confidence=1 - 0.05 / len(FEATURES))
        if result.excludes(0.5):
            leaks.append(Leak(name, result.auc, result.low, result.high))
    leaks.sort(key=lambda leak: -abs(leak.auc - 0.5))
    return AuditResult(combined, leaks)
