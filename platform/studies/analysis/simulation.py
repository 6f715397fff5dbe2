"""Simulated ratings tables for tests and benchmarks: Roe & Metz (1997) readers on a confidence scale.

`simulated_study` draws one fully crossed single-image study from studies/stats/roe_metz.py: one
generator (paired_studies, modality 0) or two sharing the real images (shared_real_studies), the
latent scores cut into `levels` equally used categories under the null. Every reader is marked
simulated, as the platform marks its demo readers, so every report from it says so.
"""
from __future__ import annotations

import numpy as np
from scipy.stats import norm

from studies.analysis.table import RatingsTable
from studies.stats.roe_metz import ROE_METZ_1997, paired_studies, shared_real_studies

TELLS = ("odd texture in the lung", "blurred vessel edges", "grid artefact near the border", "ribs look wrong",
         "noise too smooth")


def simulated_study(seed: int, readers: int, real: int, per_source: int, sources=("GAN-A",),
                    separation=(0.0,), levels: int = 6, structure: str = "HL", margin: float | None = 0.1,
                    tell_share: float = 0.1, timed_out: int = 0) -> RatingsTable:
    """`readers` × (`real` + `per_source` per source) ratings; separation Δ per source (AUC ≈ Φ(Δ/√2)).
    `timed_out` reads (at random) carry no rating."""
    rng = np.random.default_rng(seed)
    variances = ROE_METZ_1997[structure]
    if len(sources) == 1:
        ratings, truth = paired_studies(rng, variances, 1, readers, real, per_source, (separation[0], separation[0]))
        latent, generator = ratings[0, 0], np.where(truth == 1, 0, -1)
    elif len(sources) == 2:
        latent, truth, generator = shared_real_studies(rng, variances, 1, readers, real, per_source, tuple(separation))
        latent = latent[0]
    else:
        raise ValueError("The simulation has one or two synthetic sources.")
    spread = np.sqrt(sum(vars(variances).values()))
    cuts = norm.ppf(np.arange(1, levels) / levels) * spread
    confidence = (np.digitize(latent, cuts) + 1).astype(float)  # [reader, image]
    k = latent.shape[1]
    names = np.array([f"real-{i:04d}" if g < 0 else f"{sources[g]}-{i:04d}" for i, g in enumerate(generator)])
    source = np.array(["Real CT" if g < 0 else sources[g] for g in generator])
    position = rng.random((readers, k)).argsort(axis=1).argsort(axis=1)
    reader = np.repeat([f"r{j:02d}" for j in range(readers)], k)
    n = readers * k
    flat = confidence.ravel()
    lost = np.zeros(n, bool)
    lost[rng.choice(n, size=timed_out, replace=False)] = True
    flat = np.where(lost, np.nan, flat)
    answer = np.where(lost, "", np.where(flat <= levels // 2, "real", "synthetic"))
    told = (answer == "synthetic") & (rng.random(n) < tell_share)
    tell_text = tuple(TELLS[i] if t else "" for i, t in zip(rng.integers(0, len(TELLS), n).tolist(), told.tolist()))
    columns = {
        "reader": reader, "reader_training_level": np.repeat(
            np.array(["resident", "attending", "fellow"])[np.arange(readers) % 3], k),
        "reader_years": np.repeat(np.arange(readers) % 20 + 1.0, k), "reader_simulated": np.ones(n, bool),
        "position": position.ravel(), "session": np.ones(n, int), "trial_kind": np.full(n, "main"),
        "image": np.tile(names, readers), "image_truth": np.tile(truth, readers), "source": np.tile(source, readers),
        "finding": np.tile(np.array(["nodule", "normal"])[np.arange(k) % 2], readers),
        "confidence": flat, "answer": answer, "timed_out": lost, "tell_text": tell_text,
        "tell_x": np.where(told, rng.random(n), np.nan), "tell_y": np.where(told, rng.random(n), np.nan),
        "server_ms": np.where(lost, np.nan, rng.lognormal(8.0, 0.4, n).round()),
    }
    return RatingsTable.from_columns(columns, study_design="single", study_confidence_levels=levels,
                                     equivalence_margin=margin, primary_endpoint="auc_equivalence",
                                     comparison="generators", title="Simulated study")
