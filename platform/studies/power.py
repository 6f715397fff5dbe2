"""How many reads a study needs: the design page's power helper. Pure and stdlib-only.

Two endpoints, both with normal approximations a reviewer can check by hand:

- Accuracy against chance (one-sample binomial): readers tell real from synthetic at `p1` against
  H0 `p0` (0.5), two-sided α. n = ((z₁₋α/₂·√(p0 q0) + z₁₋β·√(p1 q1)) / (p1 − p0))². For 0.60 vs 0.50
  at α 0.05 and power 0.8 that is 194 independent reads.
  Reads are not independent: one reader's reads correlate (ρ_reader), and so do different readers'
  reads of one image (ρ_image). With R readers reading m images each, the design effect
  1 + (m − 1)ρ_reader + (R − 1)ρ_image (Donner & Klar's cluster inflation, crossed) inflates n;
  solving R·m = n·DE for m gives the images per reader, or says more readers are needed.
- AUC equivalence to 0.5 (two one-sided tests, margin δ): with n real and n synthetic images the
  Hanley & McNeil (1982) variance of one reader's AUC, averaged over R readers whose AUCs correlate
  r, must give SE ≤ (δ − |A − 0.5|) / (z₁₋α + z₁₋β/₂).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_Z = NormalDist().inv_cdf


class PowerError(ValueError):
    pass


def independent_reads_for_accuracy(p1: float, p0: float = 0.5, alpha: float = 0.05, power: float = 0.8) -> int:
    if not (0 < p0 < 1 and 0 < p1 < 1) or p1 == p0:
        raise PowerError("The expected accuracy must differ from chance and lie strictly between 0 and 1.")
    z_a, z_b = _Z(1 - alpha / 2), _Z(power)
    n = ((z_a * math.sqrt(p0 * (1 - p0)) + z_b * math.sqrt(p1 * (1 - p1))) / (p1 - p0)) ** 2
    return math.ceil(n - 1e-9)


@dataclass(frozen=True)
class AccuracyPlan:
    independent_reads: int
    readers: int
    images_per_reader: int
    design_effect: float


def images_per_reader_for_accuracy(p1: float, readers: int, rho_reader: float = 0.0, rho_image: float = 0.0,
                                   p0: float = 0.5, alpha: float = 0.05, power: float = 0.8) -> AccuracyPlan:
    if readers < 1:
        raise PowerError("A study needs at least one reader.")
    if not (0 <= rho_reader < 1 and 0 <= rho_image < 1):
        raise PowerError("Correlations must lie in [0, 1).")
    n = independent_reads_for_accuracy(p1, p0, alpha, power)
    room = readers - n * rho_reader
    if room <= 0:
        raise PowerError(
            f"With reader correlation {rho_reader}, {readers} readers cannot reach power {power}: "
            f"add readers (more than {math.floor(n * rho_reader)} are needed)."
        )
    m = math.ceil(n * (1 - rho_reader + (readers - 1) * rho_image) / room - 1e-9)
    m = max(m, 1)
    return AccuracyPlan(n, readers, m, 1 + (m - 1) * rho_reader + (readers - 1) * rho_image)


def hanley_mcneil_variance(auc: float, n_real: int, n_synthetic: int) -> float:
    q1, q2 = auc / (2 - auc), 2 * auc**2 / (1 + auc)
    return (auc * (1 - auc) + (n_real - 1) * (q1 - auc**2) + (n_synthetic - 1) * (q2 - auc**2)) / (n_real * n_synthetic)


def images_per_class_for_auc_equivalence(margin: float, readers: int = 1, expected_auc: float = 0.5,
                                         reader_correlation: float = 0.0, alpha: float = 0.05,
                                         power: float = 0.8, limit: int = 1_000_000) -> int:
    """Real (= synthetic) images each reader must rate so that TOST shows |AUC − 0.5| < margin."""
    slack = margin - abs(expected_auc - 0.5)
    if not 0 < margin < 0.5 or slack <= 0:
        raise PowerError("The margin must be positive and larger than the expected AUC's distance from 0.5.")
    if readers < 1 or not 0 <= reader_correlation < 1:
        raise PowerError("Readers must be at least 1 and their correlation in [0, 1).")
    se_needed = slack / (_Z(1 - alpha) + _Z(1 - (1 - power) / 2))
    inflation = (1 + (readers - 1) * reader_correlation) / readers
    lo, hi = 2, 2
    while hanley_mcneil_variance(expected_auc, hi, hi) * inflation > se_needed**2:
        lo, hi = hi, hi * 2
        if hi > limit:
            raise PowerError("More than a million images per class would be needed: widen the margin.")
    while lo < hi:  # the variance falls as n grows: the smallest n that is enough
        mid = (lo + hi) // 2
        if hanley_mcneil_variance(expected_auc, mid, mid) * inflation <= se_needed**2:
            hi = mid
        else:
            lo = mid + 1
    return lo
