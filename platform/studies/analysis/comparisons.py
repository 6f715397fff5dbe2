"""The MRMC comparisons: each source against chance, each pair of sources, TOST, Holm, verdicts.

Single-image design, from the confidence ratings (studies/stats/mrmc.py, Obuchowski–Rockette with
Hillis's denominator degrees of freedom, readers and cases random):
- each source (modalities.py: a generator's synthetic images with all the real images, or one
  reading condition's reads) — the reader-averaged AUC against 0.5 (Hillis's single-modality test);
- each pair of sources — the difference of reader-averaged AUCs: two generators share the real
  images (their correlation comes only through them), two conditions share the cases read in both.
The OR analysis needs every reader to read every image of a source (fully crossed): a study with
balanced subsets gets no MRMC section. An image with a timed-out read has a hole in the
reader × image table, so it is left out of every MRMC analysis (and counted, `dropped_images`).

Verdicts (one per source), at α = 1 − confidence, from Holm-adjusted p-values:
- "equivalent within ±δ" — ONLY when TOST (Schuirmann 1987) against the pre-registered margin
  [0.5 − δ, 0.5 + δ] rejects non-equivalence; this is the sole meaning of "indistinguishable";
- "distinguishable" — the test against 0.5 rejects (readers tell it apart from real images);
- "inconclusive" — neither; a non-significant difference test is never read as indistinguishable.
With no margin registered, only the last two are possible. Holm's adjustment runs across every
p-value of this section: each source's test against 0.5, its TOST, and each pair's difference.
"""
from __future__ import annotations

import numpy as np

from studies.analysis.modalities import modality_masks
from studies.analysis.table import RatingsTable
from studies.stats.equivalence import auc_equivalence, holm_adjust
from studies.stats.mrmc import (ModalityComparison, SingleModalityAnalysis, analyse_single_modality,
                                compare_modalities)


def mrmc_section(table: RatingsTable, main: np.ndarray, rated: np.ndarray, covariance: str,
                 confidence: float) -> dict:
    if table.study_design != "single":
        return {"applicable": False, "reason": "2-AFC studies are analysed in two_afc."}
    readers, reader_index = np.unique(table.reader, return_inverse=True)
    images, image_index = np.unique(table.image, return_inverse=True)
    present_masks, rated_masks = modality_masks(table, main), modality_masks(table, rated)
    labels = list(present_masks)
    if not labels:
        return {"applicable": False, "reason": "No source has main reads."}
    shape = (len(labels), len(readers), len(images))
    values, present = np.full(shape, np.nan), np.zeros(shape, bool)
    for m, label in enumerate(labels):
        mask = present_masks[label]
        present[m, reader_index[mask], image_index[mask]] = True
        mask = rated_masks[label]
        values[m, reader_index[mask], image_index[mask]] = table.confidence[mask]
    membership = present.any(axis=1)
    used_readers = present.any(axis=(0, 2))
    values, present = values[:, used_readers], present[:, used_readers]
    if used_readers.sum() < 2:
        return {"applicable": False, "reason": "A random-reader MRMC analysis needs at least two readers."}
    if not all(present[m][:, membership[m]].all() for m in range(len(labels))):
        return {"applicable": False, "reason": "MRMC needs every reader to read every image (fully crossed); "
                                               "this study has readers who did not read some images."}
    holes = (np.isnan(values) & membership[:, None, :]).any(axis=(0, 1))
    membership = membership & ~holes
    truth = np.zeros(len(images), int)
    truth[image_index] = table.image_truth
    names = readers[used_readers].tolist()
    sources, pairs = {}, []
    for m, label in enumerate(labels):
        member = membership[m]
        sources[label] = _attempt(lambda: analyse_single_modality(values[m][:, member], truth[member], covariance,
                                                                  confidence=confidence))
    for a in range(len(labels)):
        for b in range(a + 1, len(labels)):
            used = membership[a] | membership[b]
            pairs.append((labels[a], labels[b], _attempt(lambda: compare_modalities(
                values[[a, b]][:, :, used], truth[used], membership[[a, b]][:, used], covariance, confidence))))
    out = report(sources, pairs, names, table.equivalence_margin, confidence, figure="AUC")
    out["dropped_images"] = int(holes.sum())
    return out


def _attempt(analysis):
    try:
        return analysis()
    except ValueError as error:  # too few readers or images of a truth: say why, carry on
        return str(error)


def report(sources: dict, pairs: list, readers: list[str], margin: float | None, confidence: float,
           figure: str) -> dict:
    """The section from fitted analyses (a sentence in place of one that could not be fitted):
    sources {label: SingleModalityAnalysis | str}, pairs [(a, b, ModalityComparison | str)]."""
    alpha = 1 - confidence
    entries = [_source_entry(label, fit, readers, margin, alpha) for label, fit in sources.items()]
    comparisons = [_pair_entry(a, b, fit) for a, b, fit in pairs]
    tests = [(e, "p_value") for e in entries + comparisons if e.get("p_value") is not None]
    tests += [(e["equivalence"], "p_value") for e in entries if e.get("equivalence")]
    adjusted = holm_adjust([holder[key] for holder, key in tests]) if tests else []
    for (holder, _), p in zip(tests, adjusted):
        holder["p_holm"] = float(p)
    for entry in entries:
        entry["verdict"] = _verdict(entry, margin, alpha)
    return {"applicable": True, "figure_of_merit": figure, "alpha": alpha, "equivalence_margin": margin,
            "holm_family": len(tests), "sources": entries, "comparisons": comparisons}


def _source_entry(label: str, fit: SingleModalityAnalysis | str, readers: list[str], margin, alpha) -> dict:
    if isinstance(fit, str):
        return {"source": label, "error": fit, "p_value": None, "equivalence": None}
    entry = {"source": label, "auc": fit.auc, "null": fit.null_auc, "se": fit.se, "df": fit.df, "t": fit.t,
             "p_value": fit.p_value, "low": fit.low, "high": fit.high,
             "reader_aucs": dict(zip(readers, fit.reader_aucs)), "n_synthetic": fit.n_positive,
             "n_real": fit.n_negative, "covariance": fit.covariance_method,
             "components": _components(fit.components), "equivalence": None}
    if margin is not None and fit.se > 0:
        tost = auc_equivalence(fit.auc, fit.se, fit.df, margin, alpha)
        entry["equivalence"] = {"low": tost.low, "high": tost.high, "p_lower": tost.p_lower,
                                "p_upper": tost.p_upper, "p_value": tost.p_value,
                                "interval": list(tost.interval), "interval_level": 1 - 2 * alpha}
    return entry


def _pair_entry(a: str, b: str, fit: ModalityComparison | str) -> dict:
    if isinstance(fit, str):
        return {"first": a, "second": b, "error": fit, "p_value": None}
    return {"first": a, "second": b, "aucs": list(fit.aucs), "difference": fit.difference, "se": fit.se,
            "f": fit.f, "t": fit.t, "ddf": fit.ddf, "p_value": fit.p_value, "low": fit.low, "high": fit.high,
            "mean_squares": dict(zip(("treatment", "reader", "treatment_reader"), fit.mean_squares)),
            "design": fit.design, "covariance": fit.covariance_method, "components": _components(fit.components)}


def _components(c) -> dict:
    return {"reader": c.reader, "modality_reader": c.modality_reader, "error": c.error, "cov1": c.cov1,
            "cov2": c.cov2, "cov3": c.cov3}


def _verdict(entry: dict, margin: float | None, alpha: float) -> str:
    if entry.get("p_value") is None:
        return "inconclusive"
    equivalence = entry.get("equivalence")
    if equivalence and equivalence["p_holm"] < alpha:
        return f"equivalent within ±{margin:g}"
    if entry["p_holm"] < alpha:
        return "distinguishable"
    return "inconclusive"
