"""Small hand-made tables for the analysis tests (what the platform would build from its rows)."""
from __future__ import annotations

import numpy as np

from studies.analysis.table import RatingsTable

LEVELS = 6


def answer(confidence: float) -> str:
    """studies/rating.py answer_for: the lower half of the scale says real."""
    return "" if np.isnan(confidence) else ("real" if confidence <= LEVELS // 2 else "synthetic")


def crossed_study(confidences: dict[str, list[float]], truth: list[int], sources: list[str], **study) -> RatingsTable:
    """Every reader reads every image in order; confidences[reader][image] (nan = timed out)."""
    columns: dict[str, list] = {k: [] for k in ("reader", "position", "image", "image_truth", "source", "confidence",
                                                "answer", "timed_out", "trial_kind", "finding")}
    for reader, values in confidences.items():
        for i, c in enumerate(values):
            for key, value in (("reader", reader), ("position", i), ("image", f"img{i:02d}"), ("image_truth", truth[i]),
                               ("source", sources[i]), ("confidence", c), ("answer", answer(c)),
                               ("timed_out", bool(np.isnan(c))), ("trial_kind", "main"),
                               ("finding", "nodule" if i % 2 else "normal")):
                columns[key].append(value)
    study = {"study_design": "single", "study_confidence_levels": LEVELS, "comparison": "generators", **study}
    return RatingsTable.from_columns(columns, **study)


def everything_study() -> RatingsTable:
    """Two readers, every kind of trial, every column filled somewhere (text with commas, quotes
    and a newline; nan and -1 where nothing is known)."""
    rows = [
        # reader, position, kind, image, truth, source, confidence, repeat_of, catch_expected, tell
        ("r1", 0, "calibration", "cal1", 1, "GAN-A", 6, -1, "", ""),
        ("r1", 1, "main", "a1", 1, "GAN-A", 5, -1, "", 'ribs, "too smooth"\nand bent'),
        ("r1", 2, "main", "b1", 1, "GAN-B", 2, -1, "", ""),
        ("r1", 3, "main", "real1", 0, "Real CT", 1, -1, "", ""),
        ("r1", 4, "catch", "catch1", 1, "GAN-A", 2, -1, "synthetic", ""),
        ("r1", 5, "main", "real2", 0, "Real CT", np.nan, -1, "", ""),
        ("r1", 6, "repeat", "a1", 1, "GAN-A", 4, 1, "", ""),
        ("r2", 0, "main", "real2", 0, "Real CT", 4, -1, "", "grid"),
        ("r2", 1, "main", "a1", 1, "GAN-A", 6, -1, "", ""),
        ("r2", 2, "main", "real1", 0, "Real CT", 3, -1, "", ""),
        ("r2", 3, "main", "b1", 1, "GAN-B", 3, -1, "", ""),
        ("r2", 4, "catch", "catch1", 1, "GAN-A", 6, -1, "synthetic", ""),
    ]
    n = len(rows)
    reader, position, kind, image, truth, source, confidence, repeat_of, catch, tell = (list(c) for c in zip(*rows))
    confidence = [float(c) for c in confidence]
    return RatingsTable.from_columns(
        {"reader": reader, "reader_training_level": ["resident" if r == "r1" else "" for r in reader],
         "reader_years": [3.0 if r == "r1" else np.nan for r in reader],
         "reader_simulated": [r == "r2" for r in reader],
         "position": position, "session": [1 if p < 4 else 2 for p in position], "trial_kind": kind, "image": image,
         "image_truth": truth, "source": source, "finding": ["nodule"] * n, "confidence": confidence,
         "answer": [answer(c) for c in confidence], "timed_out": [bool(np.isnan(c)) for c in confidence],
         "realism": [2.0] + [np.nan] * (n - 1), "tell_text": tell,
         "tell_x": [0.25 if t else np.nan for t in tell], "tell_y": [0.125 if t else np.nan for t in tell],
         "server_ms": [1234.0] * (n - 1) + [np.nan], "client_ms": [1200.5] * n,
         "repeat_of_position": repeat_of, "catch_expected": catch},
        study_design="single", study_confidence_levels=LEVELS, equivalence_margin=0.05,
        primary_endpoint="auc_equivalence", comparison="generators", title="Chest CT, realism")
