"""Planted studies for each verdict (Roe & Metz 1997 readers, studies/stats/roe_metz.py): the
verdict "equivalent within ±δ" comes only from TOST (Schuirmann 1987) on the pre-registered margin;
a non-significant difference test alone is "inconclusive", never "indistinguishable"."""
from __future__ import annotations

import json

from studies.analysis.analyse import analyse
from studies.analysis.simulation import simulated_study


def verdict_of(**study) -> dict:
    report = analyse(simulated_study(**study))
    json.dumps(report, allow_nan=False)  # JSON-ready: no NaN, only plain types
    return report


def test_readers_who_truly_cannot_tell_are_equivalent_within_the_margin():
    report = verdict_of(seed=11, readers=10, real=200, per_source=200, separation=(0.0,), margin=0.1)
    (source,) = report["mrmc"]["sources"]
    assert source["verdict"] == "equivalent within ±0.1"
    assert 0.4 < source["equivalence"]["interval"][0] < source["equivalence"]["interval"][1] < 0.6
    assert report["primary"]["result"] == [{"source": "GAN-A", "verdict": "equivalent within ±0.1"}]


def test_readers_at_auc_point_eight_are_distinguishable():
    report = verdict_of(seed=12, readers=6, real=60, per_source=60, separation=(1.19,), margin=0.1)
    (source,) = report["mrmc"]["sources"]
    assert source["auc"] > 0.7 and source["verdict"] == "distinguishable"


def test_a_tiny_study_is_inconclusive_not_indistinguishable():
    report = verdict_of(seed=13, readers=3, real=5, per_source=5, separation=(0.3,), margin=0.1)
    (source,) = report["mrmc"]["sources"]
    assert source["p_value"] > 0.05 and source["equivalence"]["p_value"] > 0.05
    assert source["verdict"] == "inconclusive"


def test_without_a_margin_a_null_study_is_never_called_equivalent():
    report = verdict_of(seed=11, readers=10, real=200, per_source=200, separation=(0.0,), margin=None)
    (source,) = report["mrmc"]["sources"]
    assert source["equivalence"] is None and source["verdict"] == "inconclusive"


def test_holm_runs_over_every_p_value_of_the_comparisons():
    """Two generators (shared real images): each against 0.5, each TOST, and their difference."""
    report = verdict_of(seed=14, readers=5, real=40, per_source=20, sources=("GAN-A", "GAN-B"),
                        separation=(0.0, 1.5), margin=0.1)
    mrmc = report["mrmc"]
    assert mrmc["holm_family"] == 5
    (pair,) = mrmc["comparisons"]
    assert pair["design"] == "shared real images" and pair["p_holm"] >= pair["p_value"]
    ps = sorted([s["p_value"] for s in mrmc["sources"]] + [s["equivalence"]["p_value"] for s in mrmc["sources"]]
                + [pair["p_value"]])
    assert min(s["p_holm"] for s in mrmc["sources"] + [pair]) <= min(1.0, 5 * ps[0]) + 1e-12
    assert {s["source"]: s["verdict"] for s in mrmc["sources"]}["GAN-B"] == "distinguishable"
