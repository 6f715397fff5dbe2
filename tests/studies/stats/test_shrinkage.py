"""Beta-binomial empirical Bayes: the marginal-ML prior against scipy.stats.fit (an independent
maximiser), and the posterior's behaviour."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from scipy.optimize import differential_evolution

from studies.stats.shrinkage import MAX_CONCENTRATION, fit_beta_prior, shrink_fooling_rates


def _log_likelihood(prior, k, n):
    return stats.betabinom.logpmf(k, n, prior.alpha, prior.beta).sum()


def test_the_prior_is_the_marginal_maximum_likelihood_fit():
    rng = np.random.default_rng(2)
    n = np.full(400, 8)
    k = rng.binomial(n, rng.beta(2.0, 6.0, size=400))
    ours = fit_beta_prior(k, n)

    def optimizer(fun, bounds, **options):
        return differential_evolution(fun, bounds, seed=0, tol=1e-10, **options)

    reference = stats.fit(stats.betabinom, k, bounds={"n": (8, 8), "a": (0.01, 100), "b": (0.01, 100)},
                          optimizer=optimizer).params
    assert _log_likelihood(ours, k, n) >= stats.betabinom.logpmf(k, n, reference.a, reference.b).sum() - 1e-6
    assert ours.alpha == pytest.approx(reference.a, rel=0.02)
    assert ours.beta == pytest.approx(reference.b, rel=0.02)


def test_shrunk_rates_lie_between_the_raw_rate_and_the_prior_mean():
    rng = np.random.default_rng(6)
    n = rng.integers(2, 12, size=150)
    k = rng.binomial(n, rng.beta(3.0, 3.0, size=150))
    result = shrink_fooling_rates(k, n)
    lower, upper = np.minimum(result.raw, result.prior.mean), np.maximum(result.raw, result.prior.mean)
    assert np.all((lower - 1e-12 <= result.shrunk) & (result.shrunk <= upper + 1e-12))
    assert np.all((result.low <= result.shrunk) & (result.shrunk <= result.high))
    # fewer reads, more shrinkage: (k + α)/(n + s)
    np.testing.assert_allclose(result.shrunk, (k + result.prior.alpha) / (n + result.prior.concentration))


def test_images_that_do_not_differ_all_shrink_to_the_pooled_rate():
    rng = np.random.default_rng(7)
    n = np.full(300, 5)
    k = rng.binomial(n, 0.3)
    result = shrink_fooling_rates(k, n)
    assert result.prior.concentration > MAX_CONCENTRATION / 100
    np.testing.assert_allclose(result.shrunk, k.sum() / n.sum(), atol=2e-3)


def test_it_refuses_impossible_counts():
    with pytest.raises(ValueError):
        shrink_fooling_rates([3, 1], [2, 2])
