"""Per-image fooling rates with beta-binomial empirical-Bayes shrinkage.

An image read by n_i readers fooled k_i of them (a synthetic image called real, or a real one
called synthetic). With a handful of reads per image, k_i/n_i is noisy: 3 of 3 is not "always
fools". Model (Efron & Morris 1975; Carlin & Louis, Bayesian Methods for Data Analysis, 3rd ed.,
ch. 5): the image's true rate is θ_i ~ Beta(α, β), and k_i | θ_i ~ Binomial(n_i, θ_i), so k_i is
beta-binomial. The prior is fitted by marginal maximum likelihood,

    (α̂, β̂) = argmax Σ_i log BetaBinomial(k_i; n_i, α, β),

over mean μ = α/(α + β) and concentration s = α + β (searched on logit μ and log s from a
method-of-moments start). s is capped at 10⁶: when the images do not differ beyond binomial
noise the likelihood keeps rising with s and every image shrinks to the pooled rate.

Each image's rate is then its posterior Beta(α̂ + k_i, β̂ + n_i − k_i): the shrunk rate is the
posterior mean (k_i + α̂)/(n_i + s), pulled toward μ̂ the more the fewer its reads, and the interval
the equal-tailed posterior interval. These are empirical-Bayes intervals: they treat (α̂, β̂) as
known, so with few images they are somewhat too narrow (Morris 1983).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

MAX_CONCENTRATION = 1e6  # α + β beyond this is "no spread between images"


@dataclass(frozen=True)
class BetaPrior:
    alpha: float
    beta: float

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def concentration(self) -> float:  # α + β: a prior "worth" this many reads
        return self.alpha + self.beta


@dataclass(frozen=True)
class ShrunkRates:
    prior: BetaPrior  # fitted by marginal maximum likelihood
    raw: np.ndarray  # k_i / n_i
    shrunk: np.ndarray  # posterior means
    low: np.ndarray  # equal-tailed posterior interval
    high: np.ndarray
    fooled: np.ndarray  # k_i
    reads: np.ndarray  # n_i
    confidence: float


def fit_beta_prior(fooled, reads) -> BetaPrior:
    """Marginal-ML beta prior for counts fooled [image] out of reads [image] (module docstring)."""
    k, n = _counts(fooled, reads)
    start_mean, start_concentration = _moments(k, n)

    def negative_log_likelihood(params):
        mean, concentration = special.expit(params[0]), np.exp(params[1])
        return -stats.betabinom.logpmf(k, n, mean * concentration, (1 - mean) * concentration).sum()

    start = [special.logit(start_mean), np.log(start_concentration)]
    bounds = [(-20.0, 20.0), (np.log(1e-3), np.log(MAX_CONCENTRATION))]
    fit = optimize.minimize(negative_log_likelihood, start, method="L-BFGS-B", bounds=bounds)
    mean, concentration = special.expit(fit.x[0]), np.exp(fit.x[1])
    return BetaPrior(float(mean * concentration), float((1 - mean) * concentration))


def shrink_fooling_rates(fooled, reads, confidence: float = 0.95, prior: BetaPrior | None = None) -> ShrunkRates:
    """Shrunk per-image fooling rates and posterior intervals; the prior is fitted unless given."""
    k, n = _counts(fooled, reads)
    prior = fit_beta_prior(k, n) if prior is None else prior
    a, b = prior.alpha + k, prior.beta + n - k
    tail = (1 - confidence) / 2
    return ShrunkRates(prior, k / n, a / (a + b), stats.beta.ppf(tail, a, b), stats.beta.ppf(1 - tail, a, b),
                       k, n, confidence)


def _moments(k, n) -> tuple[float, float]:
    """Method-of-moments start (Kleinman 1973 style, reads-weighted): μ from the pooled rate, s from
    the excess of the spread of k_i/n_i over binomial noise; s capped when there is no excess."""
    mean = float(np.clip(k.sum() / n.sum(), 1e-3, 1 - 1e-3))
    rates = k / n
    spread = float(np.average((rates - mean) ** 2, weights=n))
    binomial = mean * (1 - mean) * float(np.mean(1 / n))
    if spread <= binomial or spread <= 0:
        return mean, MAX_CONCENTRATION / 10
    # Var(k/n) = μ(1 − μ)[1/n + (1 − 1/n)/(s + 1)] averaged over images: solve for s.
    excess = (spread - binomial) / (mean * (1 - mean) * float(np.mean(1 - 1 / n)))
    return mean, float(np.clip(1 / excess - 1, 1e-2, MAX_CONCENTRATION / 10))


def _counts(fooled, reads) -> tuple[np.ndarray, np.ndarray]:
    k, n = np.asarray(fooled, dtype=float), np.asarray(reads, dtype=float)
    if k.shape != n.shape or k.ndim != 1 or len(k) < 2:
        raise ValueError("fooled and reads must be matching 1-D counts for at least two images.")
    if (n < 1).any() or (k < 0).any() or (k > n).any() or (k != np.round(k)).any() or (n != np.round(n)).any():
        raise ValueError("Each image needs whole counts with 0 ≤ fooled ≤ reads and at least one read.")
    return k, n
