"""What a management command (or any script) calls: a CSV file in, the report out.

    analyse_file("study.csv", "radturing")     # one row per rating (docs/analysis.md)
    analyse_file("vandyke.imrmc", "imrmc")      # an iMRMC input file

An iMRMC file with two modalities gets, as detected (csv_layouts.py), the paired OR–Hillis
comparison of two reading conditions (classic MRMC) or the comparison of two generators sharing
the real images, and each modality's single-treatment test against AUC 0.5: the report's `mrmc`
section.
"""
from __future__ import annotations

from studies.analysis.analyse import analyse
from studies.analysis.csv_layouts import read_table


def analyse_file(path, layout: str, *, covariance: str = "jackknife", confidence: float = 0.95) -> dict:
    """Read `path` in `layout` ("radturing" | "imrmc") and analyse it (analyse.analyse)."""
    return analyse(read_table(path, layout), covariance=covariance, confidence=confidence)
