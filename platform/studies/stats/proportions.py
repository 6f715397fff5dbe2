"""Proportions of reads: confidence intervals, the exact binomial test, and binary calls vs truth.

In a visual Turing test a call of 1 means "synthetic" and truth 1 means the image is synthetic, so
sensitivity is the share of synthetic images called synthetic and specificity the share of real
images called real. A reader who cannot tell sits at accuracy 0.5.

Intervals (Brown, Cai & DasGupta 2001 compare them):
- Wilson (1927) score interval: centre (x + z²/2)/(n + z²), half-width
  z/(n + z²) · √(x(n − x)/n + z²/4). Near-nominal coverage even for small n; the default to report.
- Clopper & Pearson (1934) exact interval: the α/2 and 1 − α/2 quantiles of Beta(x, n − x + 1) and
  Beta(x + 1, n − x) (0 and 1 at the edges). Never below nominal coverage, so conservative.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

# scipy.stats.binomtest's relative tolerance when it gathers outcomes "as unlikely as" the observed one
_AS_UNLIKELY = 1 + 1e-7


@dataclass(frozen=True)
class Proportion:
    successes: int
    trials: int
    estimate: float  # successes / trials
    wilson: tuple[float, float]  # Wilson score interval
    exact: tuple[float, float]  # Clopper–Pearson interval
    confidence: float


@dataclass(frozen=True)
class BinomialTest:
    successes: int
    trials: int
    null: float  # the proportion under H0 (0.5: chance)
    p_value: float  # exact, two-sided


@dataclass(frozen=True)
class CallSummary:
    """Binary calls (1 = "synthetic") against truth (1 = synthetic)."""
    accuracy: Proportion  # correct calls / all calls
    sensitivity: Proportion  # synthetic called synthetic / synthetic images
    specificity: Proportion  # real called real / real images
    accuracy_test: BinomialTest  # accuracy against 0.5


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson (1927) score interval for successes out of trials (formula in the module docstring)."""
    x, n = _checked(successes, trials)
    z = stats.norm.ppf(0.5 + confidence / 2)
    centre = (x + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * np.sqrt(x * (n - x) / n + z * z / 4)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def clopper_pearson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper–Pearson (1934) exact interval from beta quantiles (module docstring)."""
    x, n = _checked(successes, trials)
    alpha = 1 - confidence
    low = 0.0 if x == 0 else float(stats.beta.ppf(alpha / 2, x, n - x + 1))
    high = 1.0 if x == n else float(stats.beta.ppf(1 - alpha / 2, x + 1, n - x))
    return low, high


def proportion(successes: int, trials: int, confidence: float = 0.95) -> Proportion:
    x, n = _checked(successes, trials)
    return Proportion(x, n, x / n, wilson_interval(x, n, confidence), clopper_pearson_interval(x, n, confidence),
                      confidence)


def binomial_test(successes: int, trials: int, null: float = 0.5) -> BinomialTest:
    """Exact two-sided binomial test: the probability under H0 of every outcome no more likely than
    the observed one (the "minlike" rule, as scipy.stats.binomtest). With null 0.5 the binomial is
    symmetric and this is twice the smaller tail, capped at 1."""
    x, n = _checked(successes, trials)
    if not 0 < null < 1:
        raise ValueError("The null proportion must lie strictly between 0 and 1.")
    pmf = stats.binom.pmf(np.arange(n + 1), n, null)
    p = pmf[pmf <= pmf[x] * _AS_UNLIKELY].sum()
    return BinomialTest(x, n, null, float(min(1.0, p)))


def summarise_calls(calls, truth, confidence: float = 0.95) -> CallSummary:
    """Accuracy, sensitivity and specificity of binary calls (1 = "synthetic") vs truth, each with a
    Wilson and a Clopper–Pearson interval, and accuracy tested against chance."""
    calls, truth = np.asarray(calls).astype(bool), np.asarray(truth).astype(bool)
    if calls.shape != truth.shape or calls.ndim != 1:
        raise ValueError("calls and truth must be matching 1-D arrays.")
    correct = int((calls == truth).sum())
    sensitivity = proportion(int((calls & truth).sum()), int(truth.sum()), confidence)
    specificity = proportion(int((~calls & ~truth).sum()), int((~truth).sum()), confidence)
    return CallSummary(proportion(correct, len(calls), confidence), sensitivity, specificity,
                       binomial_test(correct, len(calls)))


def _checked(successes, trials) -> tuple[int, int]:
    x, n = int(successes), int(trials)
    if n < 1 or not 0 <= x <= n:
        raise ValueError("A proportion needs 0 ≤ successes ≤ trials and at least one trial.")
    return x, n
