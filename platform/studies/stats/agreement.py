"""Agreement between readers on categorical calls: Cohen's κ, Fleiss' κ, intra-reader κ.

Cohen (1960): for two raters with joint proportions p_ij (k × k table over n items),
p_o = Σ p_ii, p_e = Σ p_i. p_.i, κ = (p_o − p_e)/(1 − p_e). Its large-sample standard error is
Fleiss, Cohen & Everitt (1969) (the "ASE" SAS PROC FREQ prints):

    Var(κ̂) = [ Σ_i p_ii (1 − (p_i. + p_.i)(1 − κ))² + (1 − κ)² Σ_{i≠j} p_ij (p_.i + p_j.)²
               − (κ − p_e(1 − κ))² ] / (n (1 − p_e)²)

and the CI is κ ± z·SE. Under H0: κ = 0 the variance is
Var₀ = [p_e + p_e² − Σ_i p_i. p_.i (p_i. + p_.i)] / (n (1 − p_e)²), used for the z test.

Fleiss (1971): N subjects each rated by m raters into k categories, n_ij the raters putting
subject i in category j. p_j = Σ_i n_ij/(Nm), P_i = (Σ_j n_ij² − m)/(m(m − 1)),
κ = (P̄ − P̄_e)/(1 − P̄_e) with P̄_e = Σ p_j². Its SE under H0 is the corrected formula of Fleiss,
Nee & Landis (1979): SE₀ = √(2/(Nm(m − 1))) · √((Σ p_j q_j)² − Σ p_j q_j (q_j − p_j)) / Σ p_j q_j.
SE₀ is right only at κ = 0, so the CI uses instead the jackknife over subjects (Efron 1982):
κ₍₋ᵢ₎ in closed form from the column totals without subject i,
SE = √((N − 1)/N Σ (κ₍₋ᵢ₎ − κ̄₍.₎)²), CI = κ ± z·SE.

Intra-reader agreement is Cohen's κ between one reader's first and second read of the same images.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm


@dataclass(frozen=True)
class CohenKappa:
    kappa: float
    se: float  # Fleiss–Cohen–Everitt (1969) asymptotic SE
    low: float  # κ ± z·se
    high: float
    se_null: float  # SE under H0: κ = 0
    z: float  # κ / se_null
    p_value: float  # two-sided, against κ = 0
    observed_agreement: float  # p_o
    chance_agreement: float  # p_e
    n: int  # items rated by both


@dataclass(frozen=True)
class FleissKappa:
    kappa: float
    se_null: float  # Fleiss, Nee & Landis (1979) SE under H0: κ = 0
    z: float
    p_value: float  # two-sided, against κ = 0
    se: float  # jackknife over subjects
    low: float  # κ ± z·se (jackknife)
    high: float
    mean_agreement: float  # P̄
    chance_agreement: float  # P̄_e
    subjects: int
    raters: int


def cohen_kappa(first, second, categories=None, confidence: float = 0.95) -> CohenKappa:
    """Cohen's κ of two raters' calls on the same items, with the FCE (1969) SE and CI."""
    first, second = np.asarray(first), np.asarray(second)
    if first.shape != second.shape or first.ndim != 1 or len(first) < 2:
        raise ValueError("Two matching 1-D lists of at least two calls are needed.")
    categories = np.unique(np.concatenate([first, second])) if categories is None else np.asarray(categories)
    index = {c: i for i, c in enumerate(categories.tolist())}
    table = np.zeros((len(categories), len(categories)))
    np.add.at(table, ([index[c] for c in first.tolist()], [index[c] for c in second.tolist()]), 1)
    return cohen_kappa_from_table(table, confidence)


def cohen_kappa_from_table(table, confidence: float = 0.95) -> CohenKappa:
    """Cohen's κ from a k × k table of counts (rows: first rater, columns: second)."""
    counts = np.asarray(table, dtype=float)
    n = counts.sum()
    p = counts / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    p_o, p_e = float(np.trace(p)), float(rows @ cols)
    if p_e >= 1:
        raise ValueError("κ is undefined when both raters always give the same single category.")
    kappa = (p_o - p_e) / (1 - p_e)
    diagonal = np.diag(p) * (1 - (rows + cols) * (1 - kappa)) ** 2
    off = p * (cols[:, None] + rows[None, :]) ** 2  # p_ij (p_.i + p_j.)²
    np.fill_diagonal(off, 0.0)
    variance = (diagonal.sum() + (1 - kappa) ** 2 * off.sum() - (kappa - p_e * (1 - kappa)) ** 2) / (n * (1 - p_e) ** 2)
    variance_null = (p_e + p_e ** 2 - (rows * cols * (rows + cols)).sum()) / (n * (1 - p_e) ** 2)
    se, se_null = float(np.sqrt(max(variance, 0.0))), float(np.sqrt(max(variance_null, 0.0)))
    z_ci = norm.ppf(0.5 + confidence / 2)
    z = kappa / se_null if se_null > 0 else float("nan")
    return CohenKappa(float(kappa), se, float(kappa - z_ci * se), float(kappa + z_ci * se), se_null, float(z),
                      float(2 * norm.sf(abs(z))), p_o, p_e, int(n))


def intra_reader_kappa(first_reads, second_reads, categories=None, confidence: float = 0.95) -> CohenKappa:
    """One reader's consistency: Cohen's κ between their first and second calls on each image
    read twice (first_reads[i] and second_reads[i] are the two calls on image i)."""
    return cohen_kappa(first_reads, second_reads, categories, confidence)


def category_counts(ratings, categories=None) -> np.ndarray:
    """[subject, category] counts from calls [subject, rater] (Fleiss's n_ij)."""
    ratings = np.asarray(ratings)
    categories = np.unique(ratings) if categories is None else np.asarray(categories)
    return (ratings[:, :, None] == categories[None, None, :]).sum(axis=1)


def fleiss_kappa(counts, confidence: float = 0.95) -> FleissKappa:
    """Fleiss' κ from counts [subject, category] with the same number of raters per subject."""
    counts = np.asarray(counts, dtype=float)
    raters = counts.sum(axis=1)
    if counts.ndim != 2 or len(counts) < 2 or not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError("Counts must be [subject, category] with the same number (≥ 2) of raters per subject.")
    subjects, m = len(counts), float(raters[0])
    agreement = ((counts ** 2).sum(axis=1) - m) / (m * (m - 1))  # P_i
    kappa, mean_agreement, chance = _fleiss(counts.sum(axis=0), agreement.sum(), subjects, m)
    shares = counts.sum(axis=0) / (subjects * m)
    spread = shares * (1 - shares)
    se_null = float(np.sqrt(2 / (subjects * m * (m - 1)))
                    * np.sqrt(spread.sum() ** 2 - (spread * (1 - 2 * shares)).sum()) / spread.sum())
    # Jackknife over subjects, in closed form: remove subject i's row from the totals.
    without, _, _ = _fleiss(counts.sum(axis=0)[None, :] - counts, agreement.sum() - agreement, subjects - 1, m)
    se = float(np.sqrt((subjects - 1) / subjects * ((without - without.mean()) ** 2).sum()))
    z_ci = norm.ppf(0.5 + confidence / 2)
    z = kappa / se_null
    return FleissKappa(float(kappa), se_null, float(z), float(2 * norm.sf(abs(z))), se, float(kappa - z_ci * se),
                       float(kappa + z_ci * se), float(mean_agreement), float(chance), subjects, int(m))


def _fleiss(column_totals, agreement_sum, subjects, m):
    """κ, P̄ and P̄_e from the category totals and Σ P_i (vectorised over leading axes)."""
    shares = column_totals / (subjects * m)
    chance = (shares ** 2).sum(axis=-1)
    mean_agreement = agreement_sum / subjects
    return (mean_agreement - chance) / (1 - chance), mean_agreement, chance
