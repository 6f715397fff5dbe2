import numpy as np
import pytest

from gan_engine.metrics.bootstrap import mean_ci, percentile_interval, resample_ci


def test_the_percentile_interval_cuts_two_and_a_half_percent_each_side():
    assert percentile_interval(np.arange(1001.0)) == pytest.approx((25.0, 975.0))


def test_the_mean_interval_of_coin_flips_matches_the_normal_approximation():
    values = np.r_[np.ones(500), np.zeros(500)]
    low, high = mean_ci(values, 2000, np.random.default_rng(0))
    half = 1.96 * np.sqrt(0.25 / 1000)  # 0.031
    assert low == pytest.approx(0.5 - half, abs=0.006)
    assert high == pytest.approx(0.5 + half, abs=0.006)


def test_a_two_sample_statistic_is_resampled_in_both_sets():
    real, fake = np.zeros(50), np.ones(80)
    seen = []
    resample_ci(lambda r, f: seen.append((len(r), len(f))) or 0.0, 50, 80, 3, np.random.default_rng(0))
    assert seen == [(50, 80)] * 3


def test_no_replicates_give_nan_bounds():
    low, high = mean_ci(np.ones(5), 0, np.random.default_rng(0))
    assert np.isnan(low) and np.isnan(high)
