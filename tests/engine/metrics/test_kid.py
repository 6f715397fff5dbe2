import numpy as np
import pytest

from gan_engine.metrics.kid import kernel_inception_distance, polynomial_kernel, subset_indices
from gan_engine.metrics.reference import kid_reference, mmd2_unbiased_loop


def test_the_kernel_is_the_cubic_polynomial():
    x = np.array([[1.0, 2.0]])
    y = np.array([[3.0, -1.0]])
    # x.y = 1, d = 2: (1/2 + 1)^3 = 3.375
    assert polynomial_kernel(x, y)[0, 0] == pytest.approx(3.375)


def test_it_matches_an_explicit_loop_on_whole_sets():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(30, 5))
    fake = rng.normal(loc=0.3, size=(25, 5))
    value, _ = kernel_inception_distance(real, fake, subset_size=1000)
    assert value == pytest.approx(mmd2_unbiased_loop(real, fake), abs=1e-4)


def test_it_matches_the_reference_on_the_same_subsets():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(300, 64))
    fake = rng.normal(loc=0.2, size=(250, 64))
    value, _ = kernel_inception_distance(real, fake, n_subsets=10, subset_size=100,
                                         rng=np.random.default_rng(7))
    subsets = subset_indices(300, 250, 10, 100, np.random.default_rng(7))
    assert value == pytest.approx(kid_reference(real, fake, subsets), abs=1e-4)


def test_identical_sets_have_kid_near_zero_and_shifted_sets_do_not():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, 16))
    same, _ = kernel_inception_distance(x, x)
    other, _ = kernel_inception_distance(x, rng.normal(loc=0.5, size=(400, 16)))
    # With y = x the unbiased estimator is 2 (S - T) / (n (n - 1)) - 2 S / n^2 (S = sum of K,
    # T = its trace): slightly negative, O(1/n), because the cross term keeps the diagonal.
    k = polynomial_kernel(x, x)
    n = len(x)
    expected = 2 * (k.sum() - np.trace(k)) / (n * (n - 1)) - 2 * k.sum() / n ** 2
    assert same == pytest.approx(expected, abs=1e-6)
    assert abs(same) < 0.05 * other


def test_two_samples_of_one_distribution_have_kid_near_zero():
    rng = np.random.default_rng(3)
    value, replicates = kernel_inception_distance(rng.normal(size=(500, 8)), rng.normal(size=(500, 8)),
                                                  n_bootstrap=100, rng=rng)
    assert abs(value) < 0.01
    assert np.quantile(replicates, 0.025) < 0 < np.quantile(replicates, 0.975)


def test_bootstrap_replicates_spread_around_the_estimate():
    rng = np.random.default_rng(4)
    value, replicates = kernel_inception_distance(rng.normal(size=(200, 8)),
                                                  rng.normal(loc=0.5, size=(200, 8)),
                                                  n_bootstrap=200, rng=rng)
    low, high = np.quantile(replicates, [0.025, 0.975])
    assert low < value < high
    assert high - low < value  # a clear shift is resolved, not lost in noise
