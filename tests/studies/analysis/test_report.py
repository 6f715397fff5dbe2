"""The report's other sections on small hand-made studies whose answers can be worked by hand."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from studies.analysis.analyse import SECTIONS, analyse
from studies.analysis.table import RatingsTable
from tests.studies.analysis.tables import crossed_study, everything_study

TRUTH = [0, 0, 0, 0, 1, 1, 1, 1]
SOURCES = ["Real"] * 4 + ["GAN"] * 4


def test_a_reader_who_always_says_real_has_bias_but_no_discrimination():
    """Macmillan & Creelman (2005) ch. 2 with the log-linear correction (Hautus 1995): H = F, so
    d′ = 0; c = −z(0.5/5) = 1.28: a strong bias toward "real", reported apart."""
    table = crossed_study({"always-real": [1, 2, 3, 1, 2, 3, 1, 2], "fair": [1, 2, 4, 3, 5, 6, 4, 2]}, TRUTH, SOURCES)
    reader = analyse(table)["calls"]["readers"][0]
    assert reader["reader"] == "always-real"
    assert reader["specificity"]["estimate"] == 1.0 and reader["sensitivity"]["estimate"] == 0.0
    assert reader["d_prime"] == pytest.approx(0.0, abs=1e-12)
    assert reader["criterion"] == pytest.approx(1.2815516, abs=1e-6)
    assert reader["accuracy"]["estimate"] == 0.5 and reader["binomial_p"] == pytest.approx(1.0)


def test_every_section_is_there_and_json_ready():
    report = analyse(everything_study())
    assert tuple(report) == SECTIONS
    json.dumps(report, allow_nan=False)
    counts = report["counts"]
    assert (counts["readers"], counts["reads"], counts["timed_out_reads"], counts["excluded_calibration_reads"],
            counts["catch_reads"], counts["repeat_reads"], counts["simulated_readers"]) == (2, 8, 1, 1, 2, 1, 1)
    assert counts["images"]["by_source"] == {"GAN-A": {"real": 0, "synthetic": 1}, "GAN-B": {"real": 0, "synthetic": 1},
                                             "Real CT": {"real": 2, "synthetic": 0}}
    assert report["study"]["has_simulated_readers"] is True
    assert any("simulated" in w for w in report["study"]["warnings"])


def test_catch_failures_are_flagged_per_reader_and_timeouts_are_not_errors():
    report = analyse(everything_study())
    assert report["agreement"]["catch"]["readers"] == [
        {"reader": "r1", "trials": 1, "failed": 1, "missed": 0, "flagged": True},
        {"reader": "r2", "trials": 1, "failed": 0, "missed": 0, "flagged": False}]
    r1 = report["calls"]["readers"][0]
    assert r1["reads"] == 3  # the timed-out read is neither right nor wrong


def test_intra_reader_agreement_pairs_a_repeat_with_its_first_showing():
    calls = [6, 1, 5, 6, 1, 5]
    table = RatingsTable.from_columns(
        {"reader": ["r"] * 6, "position": list(range(6)), "trial_kind": ["main"] * 3 + ["repeat"] * 3,
         "image": ["a", "b", "c", "a", "b", "c"], "image_truth": [1, 0, 1, 1, 0, 1], "source": ["G", "R", "G"] * 2,
         "confidence": calls, "answer": ["synthetic" if c > 3 else "real" for c in calls],
         "repeat_of_position": [-1, -1, -1, 0, 1, 2]}, study_confidence_levels=6)
    (entry,) = analyse(table)["agreement"]["intra_reader"]
    assert (entry["pairs"], entry["same_call"], entry["kappa"]) == (3, 1.0, 1.0)


def test_each_readers_roc_auc_and_curve_match_sklearn():
    rng = np.random.default_rng(5)
    values = {f"r{j}": rng.integers(1, 7, 8).astype(float).tolist() for j in range(3)}
    report = analyse(crossed_study(values, TRUTH, SOURCES))
    for entry in report["roc"]["readers"]:
        assert entry["overall"]["auc"] == pytest.approx(roc_auc_score(TRUTH, values[entry["reader"]]))
        fpr, tpr = entry["overall"]["fpr"], entry["overall"]["tpr"]
        assert (fpr[0], tpr[0], fpr[-1], tpr[-1]) == (0.0, 0.0, 1.0, 1.0)
        assert np.trapezoid(tpr, fpr) == pytest.approx(entry["overall"]["auc"])


def test_fleiss_and_cohen_agree_with_hand_counts_on_perfect_agreement():
    same = [1, 2, 3, 5, 6, 5, 4, 1]
    report = analyse(crossed_study({"a": same, "b": same, "c": same}, TRUTH, SOURCES))
    agreement = report["agreement"]
    assert agreement["fleiss"]["kappa"] == pytest.approx(1.0)
    assert agreement["fleiss"]["raters_per_image"] == 3 and agreement["fleiss"]["images"] == 8
    assert [p["kappa"] for p in agreement["cohen"]] == [pytest.approx(1.0)] * 3


def test_fooling_rates_rank_the_best_fake_first_with_its_tells():
    table = crossed_study({"a": [1, 2, 1, 2, 1, 6, 6, 6], "b": [1, 1, 2, 2, 2, 6, 5, 6], "c": [2, 1, 1, 1, 3, 6, 6, 6]},
                          TRUTH, SOURCES)
    images = analyse(table)["images"]
    assert images["best_fakes"][0]["image"] == "img04"  # called real by all three readers
    assert images["best_fakes"][0]["fooled"] == 3 and images["best_fakes"][0]["raw_rate"] == 1.0
    assert 0 < images["best_fakes"][0]["shrunk_rate"] <= 1.0
    assert set(images["best_fakes"][0]["tells"]) == {"words", "texts", "points"}


def test_learning_bins_cover_every_called_read():
    table = crossed_study({"a": [1, 2, 1, 2, 5, 6, 6, 6], "b": [1, 1, 2, 2, 2, 6, 5, 6]}, TRUTH, SOURCES)
    learning = analyse(table, confidence=0.9)["learning"]
    assert sum(b["reads"] for b in learning["accuracy_by_position"]) == 16
    assert learning["reading_time"]["reads_with_time"] == 0


def test_a_subsets_study_gets_no_mrmc_and_says_why():
    nan = math.nan
    table = crossed_study({"a": [1, 2, 1, 2, 5, 6, nan, 6], "b": [1, 1, 2, 2, 2, 6, 5, 6]}, TRUTH, SOURCES)
    subset = table.subset(~((table.reader == "a") & (table.image == "img00")))
    assert analyse(subset)["mrmc"]["applicable"] is False
    assert analyse(table)["mrmc"]["dropped_images"] == 1  # the timed-out read's image leaves the MRMC


def test_two_afc_scores_picking_the_real_image():
    """Green & Swets (1966): 2-AFC proportion correct estimates the AUC; here 3 of 4 correct."""
    rows = {"reader": [], "position": [], "image": [], "image_truth": [], "source": [], "second_image": [],
            "second_truth": [], "second_source": [], "confidence": [], "answer": [], "trial_kind": []}
    pairs = [("r1", "f1"), ("f2", "r2"), ("r3", "f3"), ("f4", "r4")]
    for reader, picks in (("a", ["left", "right", "left", "left"]), ("b", ["right", "left", "left", "right"])):
        for i, ((left, right), pick) in enumerate(zip(pairs, picks)):
            for key, value in (("reader", reader), ("position", i), ("image", left), ("second_image", right),
                               ("image_truth", int(left[0] == "f")), ("second_truth", int(right[0] == "f")),
                               ("source", "GAN" if left[0] == "f" else "Real"),
                               ("second_source", "GAN" if right[0] == "f" else "Real"),
                               ("confidence", 1.0 if pick == "left" else 6.0), ("answer", pick),
                               ("trial_kind", "main")):
                rows[key].append(value)
    report = analyse(RatingsTable.from_columns(rows, study_design="2afc", study_confidence_levels=6))
    two_afc = report["two_afc"]
    assert [r["proportion_correct"] for r in two_afc["readers"]] == [0.75, 0.5]
    (source,) = two_afc["mrmc"]["sources"]
    assert source["auc"] == pytest.approx(0.625)
    assert two_afc["mrmc"]["figure_of_merit"] == "proportion correct"
    json.dumps(report, allow_nan=False)
