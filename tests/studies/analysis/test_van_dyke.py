"""The Van Dyke (1993) reader study through both file layouts reproduces the published OR–Hillis
results: RJafroc StSignificanceTesting(dataset02, FOM = "Wilcoxon", method = "OR") as printed in
dpc10ster/RJafrocBook docs/10C-OR-AnalysisApplications.md (jackknife), and MRMCaov's summary in
brian-j-smith/MRMCaov docs/jss/MRMCaov.tex (DeLong) — the values tests/studies/stats/test_mrmc.py
asserts on the statistics alone."""
from __future__ import annotations

import pytest

from studies.analysis.command import analyse_file
from studies.analysis.csv_layouts import read_imrmc, write_radturing
from studies.analysis.table import RatingsTable
from tests.studies.stats.test_mrmc import printed

JACKKNIFE = {"f": "4.4563187", "ddf": "15.259675", "p_value": "0.051665686", "difference": "-0.043800322",
             "low": "-0.087959499", "high": "0.00035885444"}
DELONG = {"f": "4.484854", "ddf": "15.06611", "p_value": "0.05123303", "se": "0.0206825",
          "low": "-0.0878671960", "high": "0.0002665519"}


def van_dyke_table(rows) -> RatingsTable:
    """The radturing representation of a classic two-condition study: one rating per reader, case
    and condition; source = the reading condition; comparison = "conditions"."""
    reader, case, truth = (list(rows[:, 0]) * 2, list(rows[:, 1]) * 2, list(rows[:, 2]) * 2)
    return RatingsTable.from_columns(
        {"reader": [f"reader{r}" for r in reader], "image": [str(c) for c in case], "image_truth": truth,
         "source": ["cine"] * len(rows) + ["spin-echo"] * len(rows),
         "confidence": list(rows[:, 3]) + list(rows[:, 4]), "trial_kind": ["main"] * 2 * len(rows),
         "position": list(range(len(rows))) * 2},
        study_design="single", study_confidence_levels=0, comparison="conditions", title="Van Dyke 1993")


def assert_published(report: dict, expected: dict) -> None:
    (comparison,) = report["mrmc"]["comparisons"]
    assert (comparison["first"], comparison["second"], comparison["design"]) == ("cine", "spin-echo", "paired")
    for key, value in expected.items():
        assert comparison[key] == printed(value), key


@pytest.mark.parametrize("covariance, expected", [("jackknife", JACKKNIFE), ("delong", DELONG)])
def test_the_imrmc_file_reproduces_the_published_or_hillis_results(van_dyke_imrmc, covariance, expected):
    report = analyse_file(van_dyke_imrmc, "imrmc", covariance=covariance)
    assert report["study"]["comparison"] == "conditions"
    assert_published(report, expected)


def test_the_imrmc_file_gives_each_conditions_single_treatment_test(van_dyke_imrmc):
    """RJafroc RRRC$ciAvgRdrEachTrt for dataset02 (same source as above)."""
    sources = {s["source"]: s for s in analyse_file(van_dyke_imrmc, "imrmc")["mrmc"]["sources"]}
    assert (sources["cine"]["auc"], sources["cine"]["se"], sources["cine"]["df"]) == (
        printed("0.89703704"), printed("0.033173597"), printed("12.744648"))
    assert (sources["spin-echo"]["low"], sources["spin-echo"]["high"]) == (printed("0.89413783"), printed("0.98753689"))
    assert sources["cine"]["verdict"] == "distinguishable"  # AUC 0.90 is far from 0.5; no margin registered


@pytest.mark.parametrize("covariance, expected", [("jackknife", JACKKNIFE), ("delong", DELONG)])
def test_the_radturing_layout_gives_the_same_numbers(van_dyke_rows, tmp_path, covariance, expected):
    path = tmp_path / "van_dyke.csv"
    write_radturing(van_dyke_table(van_dyke_rows), path)
    assert_published(analyse_file(path, "radturing", covariance=covariance), expected)


def test_reading_the_imrmc_file_gives_the_conditions_table(van_dyke_imrmc, van_dyke_rows):
    table = read_imrmc(van_dyke_imrmc)
    assert len(table) == 2 * len(van_dyke_rows)
    assert (table.comparison, table.study_confidence_levels) == ("conditions", 0)
    assert set(table.source.tolist()) == {"cine", "spin-echo"}
    assert (table.answer == "").all()  # a 5-point scale with no stated meaning gives no binary call
