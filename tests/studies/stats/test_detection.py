"""d′ and c (Macmillan & Creelman 2005, Detection Theory, ch. 1–2) checked by their definitions."""
from __future__ import annotations

import pytest
from scipy.stats import norm

from studies.stats.detection import detection, detection_from_calls


def test_unbiased_readers_who_cannot_tell_have_zero_d_prime_and_zero_criterion():
    result = detection(hits=25, synthetic=50, false_alarms=25, real=50, correction="1/(2N)")
    assert (result.d_prime, result.criterion) == (0.0, 0.0)


def test_it_separates_discrimination_from_bias():
    # H = .84, F = .16: d′ = 2 z(.84), c = 0; H = .84, F = .50: same hit rate, bias toward "synthetic".
    symmetric = detection(84, 100, 16, 100, correction="1/(2N)")
    assert symmetric.d_prime == pytest.approx(2 * norm.ppf(0.84))
    assert symmetric.criterion == pytest.approx(0.0, abs=1e-12)
    liberal = detection(84, 100, 50, 100, correction="1/(2N)")
    assert liberal.d_prime == pytest.approx(norm.ppf(0.84))
    assert liberal.criterion == pytest.approx(-norm.ppf(0.84) / 2)
    assert liberal.log_beta == pytest.approx(liberal.criterion * liberal.d_prime)


def test_the_corrections_keep_perfect_readers_finite():
    loglinear = detection(20, 20, 0, 20)  # Hautus (1995): (20 + .5)/(20 + 1) and .5/21
    assert (loglinear.corrected_hit_rate, loglinear.corrected_false_alarm_rate) == (20.5 / 21, 0.5 / 21)
    assert loglinear.d_prime == pytest.approx(norm.ppf(20.5 / 21) - norm.ppf(0.5 / 21))
    half = detection(20, 20, 0, 20, correction="1/(2N)")  # Macmillan & Kaplan (1985): 1 − 1/40 and 1/40
    assert (half.corrected_hit_rate, half.corrected_false_alarm_rate) == (1 - 1 / 40, 1 / 40)
    assert (loglinear.hit_rate, loglinear.false_alarm_rate) == (1.0, 0.0)


def test_it_counts_calls_against_truth():
    result = detection_from_calls([1, 1, 0, 1, 0, 0], [1, 1, 1, 0, 0, 0], correction="1/(2N)")
    assert (result.hit_rate, result.false_alarm_rate) == (2 / 3, 1 / 3)


def test_it_refuses_unknown_corrections_and_bad_counts():
    with pytest.raises(ValueError):
        detection(1, 2, 1, 2, correction="none")
    with pytest.raises(ValueError):
        detection(3, 2, 1, 2)
