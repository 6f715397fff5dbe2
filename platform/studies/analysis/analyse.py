"""`analyse(table)`: the whole reader-study report as a JSON-ready dict (docs/analysis.md lists
every section and key).

Which reads count: main trials only. Calibration trials are left out (counted); repeat trials
serve only intra-reader agreement and catch trials only the attention check; timed-out main reads
have no rating, so they are counted apart and never scored as errors.
"""
from __future__ import annotations

import numpy as np

from studies.analysis.calls import calls_section
from studies.analysis.comparisons import mrmc_section
from studies.analysis.fooling import fooling_section
from studies.analysis.json_values import json_ready
from studies.analysis.learning import learning_section
from studies.analysis.modalities import modality_labels
from studies.analysis.reader_agreement import agreement_section
from studies.analysis.roc_curves import roc_section
from studies.analysis.table import RatingsTable
from studies.analysis.two_afc import correct_choices, two_afc_section
from studies.stats.auc_covariance import COVARIANCE_METHODS

SECTIONS = ("study", "counts", "primary", "calls", "roc", "mrmc", "two_afc", "agreement", "images", "learning")


def analyse(table: RatingsTable, *, covariance: str = "jackknife", confidence: float = 0.95) -> dict:
    """The report (SECTIONS, in that order). covariance: "jackknife" or "delong" for the OR
    analyses; confidence: the level of every interval, and α = 1 − confidence for every test."""
    if covariance not in COVARIANCE_METHODS:
        raise ValueError(f"The covariance method must be one of {COVARIANCE_METHODS}.")
    if not 0.5 < confidence < 1:
        raise ValueError("The confidence level must lie between 0.5 and 1.")
    main = table.trial_kind == "main"
    if not main.any():
        raise ValueError("The table has no main reads to analyse.")
    rated = main & ~table.timed_out
    single = table.study_design == "single"
    called = rated & np.isin(table.answer, ("real", "synthetic") if single else ("left", "right"))
    correct = (table.answer == "synthetic") == (table.image_truth == 1) if single else correct_choices(table)

    report = {
        "study": None,
        "counts": counts(table, main, rated),
        "primary": None,
        "calls": calls_section(table, rated, confidence) if single else
        {"applicable": False, "reason": "2-AFC: see two_afc."},
        "roc": roc_section(table, rated, confidence),
        "mrmc": mrmc_section(table, main, rated, covariance, confidence),
        "two_afc": two_afc_section(table, main, rated, confidence),
        "agreement": agreement_section(table, called, confidence),
        "images": fooling_section(table, called, confidence),
        "learning": learning_section(table, called, correct, confidence),
    }
    report["study"] = study_facts(table, report, covariance, confidence)
    report["primary"] = primary(table, report)
    return json_ready(report)


def counts(table: RatingsTable, main: np.ndarray, rated: np.ndarray) -> dict:
    images = np.r_[table.image[main], table.second_image[main & (table.second_image != "")]]
    truth = np.r_[table.image_truth[main], table.second_truth[main & (table.second_image != "")]]
    source = np.r_[table.source[main], table.second_source[main & (table.second_image != "")]]
    keys, first = np.unique(images, return_index=True)
    by_source = {}
    for label, t in zip(source[first].tolist(), truth[first].tolist()):
        by_source.setdefault(label, {"real": 0, "synthetic": 0})["synthetic" if t else "real"] += 1
    simulated = np.unique(table.reader[table.reader_simulated])
    return {"readers": int(len(np.unique(table.reader[main]))), "simulated_readers": int(len(simulated)),
            "images": {"real": int((truth[first] == 0).sum()), "synthetic": int((truth[first] == 1).sum()),
                       "by_source": by_source},
            "reads": int(main.sum()), "rated_reads": int(rated.sum()),
            "timed_out_reads": int((main & table.timed_out).sum()),
            "excluded_calibration_reads": int((table.trial_kind == "calibration").sum()),
            "repeat_reads": int((table.trial_kind == "repeat").sum()),
            "catch_reads": int((table.trial_kind == "catch").sum())}


def study_facts(table: RatingsTable, report: dict, covariance: str, confidence: float) -> dict:
    warnings = []
    simulated = report["counts"]["simulated_readers"]
    if simulated:
        warnings.append(f"{simulated} reader(s) are simulated: their ratings were made by code, not by people.")
    flagged = report["agreement"]["catch"]["flagged_readers"]
    if flagged:
        warnings.append(f"{len(flagged)} reader(s) failed a catch trial: {', '.join(flagged)}.")
    dropped = report["mrmc"].get("dropped_images") or 0
    if dropped:
        warnings.append(f"{dropped} image(s) with a timed-out read are left out of the MRMC analysis.")
    return {"title": table.title, "design": table.study_design, "comparison": table.comparison,
            "sources": modality_labels(table, table.trial_kind == "main"),
            "confidence_levels": table.study_confidence_levels, "equivalence_margin": table.equivalence_margin,
            "primary_endpoint": table.primary_endpoint, "covariance": covariance, "confidence": confidence,
            "has_simulated_readers": bool(simulated), "warnings": warnings}


def primary(table: RatingsTable, report: dict) -> dict:
    """The pre-registered endpoint's result, pointing into the sections that hold it."""
    endpoint = table.primary_endpoint
    if endpoint == "auc_equivalence":
        mrmc = report["mrmc"] if table.study_design == "single" else report["two_afc"].get("mrmc", {})
        if not mrmc.get("applicable"):
            return {"endpoint": endpoint, "result": None, "reason": mrmc.get("reason")}
        return {"endpoint": endpoint, "result": [{"source": s["source"], "verdict": s["verdict"]}
                                                 for s in mrmc["sources"]]}
    if endpoint == "accuracy":
        if table.study_design == "2afc":
            return {"endpoint": endpoint, "result": report["two_afc"]["pooled"]}
        calls = report["calls"]
        return {"endpoint": endpoint, "result": calls.get("reader_averaged", {}).get("accuracy") if calls["applicable"]
                else None}
    return {"endpoint": "", "result": None}
