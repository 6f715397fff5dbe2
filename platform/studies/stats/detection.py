"""Signal detection: discrimination (d′) apart from bias (criterion c), from yes/no calls.

Here "yes" is "synthetic": the hit rate H is the share of synthetic images called synthetic, the
false-alarm rate F the share of real images called synthetic. With z the standard normal quantile
(Macmillan & Creelman 2005, Detection Theory: A User's Guide, 2nd ed., ch. 1–2):

    d′ = z(H) − z(F)             0 when readers cannot tell real from synthetic
    c  = −(z(H) + z(F)) / 2      > 0: reluctant to say "synthetic"; < 0: says it readily
    ln β = c · d′                the same bias as a likelihood ratio

A rate of 0 or 1 makes z infinite, so the counts are corrected. Two rules:

- ``"loglinear"`` (default; Hautus 1995): add 0.5 to every count of "synthetic" calls and 1 to
  every number of trials, H = (hits + 0.5)/(synthetic + 1), F = (false alarms + 0.5)/(real + 1),
  always, so that every reader is treated alike; it biases d′ slightly toward 0.
- ``"1/(2N)"`` (Macmillan & Kaplan 1985): only a rate of 0 becomes 1/(2N) and a rate of 1
  becomes 1 − 1/(2N), N that class's number of trials; other rates are left alone.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

CORRECTIONS = ("loglinear", "1/(2N)")


@dataclass(frozen=True)
class Detection:
    d_prime: float  # discrimination, in standard deviations of the noise distribution
    criterion: float  # c: bias, > 0 conservative about calling "synthetic"
    log_beta: float  # ln β = c · d′
    hit_rate: float  # synthetic called synthetic, as observed
    false_alarm_rate: float  # real called synthetic, as observed
    corrected_hit_rate: float  # the rates z() was taken of
    corrected_false_alarm_rate: float
    correction: str


def detection(hits: int, synthetic: int, false_alarms: int, real: int, correction: str = "loglinear") -> Detection:
    """d′ and c from counts: hits of `synthetic` synthetic images, false alarms of `real` real ones."""
    if correction not in CORRECTIONS:
        raise ValueError(f"The correction must be one of {CORRECTIONS}.")
    if synthetic < 1 or real < 1 or not (0 <= hits <= synthetic and 0 <= false_alarms <= real):
        raise ValueError("Counts must satisfy 0 ≤ hits ≤ synthetic and 0 ≤ false alarms ≤ real, both ≥ 1.")
    if correction == "loglinear":
        h, f = (hits + 0.5) / (synthetic + 1), (false_alarms + 0.5) / (real + 1)
    else:
        h, f = _half_count(hits, synthetic), _half_count(false_alarms, real)
    zh, zf = norm.ppf(h), norm.ppf(f)
    d_prime, criterion = float(zh - zf), float(-(zh + zf) / 2)
    return Detection(d_prime, criterion, criterion * d_prime, hits / synthetic, false_alarms / real,
                     float(h), float(f), correction)


def detection_from_calls(calls, truth, correction: str = "loglinear") -> Detection:
    """The same from binary calls (1 = "synthetic") and truth (1 = synthetic)."""
    calls, truth = np.asarray(calls).astype(bool), np.asarray(truth).astype(bool)
    return detection(int((calls & truth).sum()), int(truth.sum()), int((calls & ~truth).sum()),
                     int((~truth).sum()), correction)


def _half_count(count: int, trials: int) -> float:
    if count == 0:
        return 1 / (2 * trials)
    if count == trials:
        return 1 - 1 / (2 * trials)
    return count / trials
