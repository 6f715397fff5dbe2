"""Intervals and the exact binomial test against scipy.stats.binomtest (an independent
implementation: proportion_ci(method="wilson" / "exact") and pvalue)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import binomtest

from studies.stats.proportions import (binomial_test, clopper_pearson_interval, proportion, summarise_calls,
                                       wilson_interval)

CASES = [(0, 1), (1, 1), (0, 10), (3, 10), (5, 10), (10, 10), (17, 40), (61, 100), (523, 1000)]


@pytest.mark.parametrize("x, n", CASES)
@pytest.mark.parametrize("confidence", [0.95, 0.9])
def test_the_intervals_match_scipy(x, n, confidence):
    reference = binomtest(x, n)
    wilson = reference.proportion_ci(confidence_level=confidence, method="wilson")
    exact = reference.proportion_ci(confidence_level=confidence, method="exact")
    assert wilson_interval(x, n, confidence) == pytest.approx((wilson.low, wilson.high), abs=1e-12)
    assert clopper_pearson_interval(x, n, confidence) == pytest.approx((exact.low, exact.high), abs=1e-12)


@pytest.mark.parametrize("x, n", CASES + [(7, 23), (12, 13)])
@pytest.mark.parametrize("null", [0.5, 0.3])
def test_the_binomial_test_matches_scipy(x, n, null):
    assert binomial_test(x, n, null).p_value == pytest.approx(binomtest(x, n, null).pvalue, rel=1e-12)


def test_it_summarises_calls_as_sensitivity_specificity_and_accuracy():
    # 8 synthetic images (6 called synthetic), 12 real (9 called real): by hand.
    truth = np.r_[np.ones(8, int), np.zeros(12, int)]
    calls = np.r_[np.ones(6, int), np.zeros(2, int), np.zeros(9, int), np.ones(3, int)]
    summary = summarise_calls(calls, truth)
    assert (summary.sensitivity.successes, summary.sensitivity.trials) == (6, 8)
    assert (summary.specificity.successes, summary.specificity.trials) == (9, 12)
    assert summary.accuracy.estimate == 15 / 20
    assert summary.accuracy.wilson == wilson_interval(15, 20)
    assert summary.accuracy.exact == clopper_pearson_interval(15, 20)
    assert summary.accuracy_test.p_value == pytest.approx(binomtest(15, 20).pvalue)


def test_it_refuses_impossible_counts():
    with pytest.raises(ValueError):
        proportion(5, 4)
    with pytest.raises(ValueError):
        wilson_interval(0, 0)
