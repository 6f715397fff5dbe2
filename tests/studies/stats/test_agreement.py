"""κ statistics against published values and independent computations."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from studies.stats.agreement import (category_counts, cohen_kappa, cohen_kappa_from_table, fleiss_kappa,
                                     intra_reader_kappa)

# Fleiss (1971), Psychological Bulletin 76:378–382, Table 1: 30 patients × 6 psychiatrists, diagnoses
# 1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other (as the R package irr's
# `diagnoses` and statsmodels' test_inter_rater.py reproduce it). Fleiss reports κ = .430.
FLEISS_1971 = np.array([
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5], [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4], [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4], [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5], [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4], [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4], [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5]])

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects × 14 raters × 5 categories, κ = 0.210.
WIKIPEDIA = np.array([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]])


def test_fleiss_kappa_reproduces_fleiss_1971():
    """κ = .430 (Fleiss 1971); irr::kappam.fleiss(diagnoses): Kappa = 0.4302445, z = 17.65183
    (its z uses the Fleiss, Nee & Landis 1979 SE under H0, as ours does)."""
    result = fleiss_kappa(category_counts(FLEISS_1971))
    assert round(result.kappa, 3) == 0.430
    assert result.kappa == pytest.approx(0.4302445, abs=5e-8)
    assert result.z == pytest.approx(17.65183, abs=5e-6)
    assert (result.subjects, result.raters) == (30, 6)


def test_fleiss_kappa_reproduces_the_wikipedia_example():
    result = fleiss_kappa(WIKIPEDIA)
    assert round(result.kappa, 3) == 0.210
    assert round(result.mean_agreement, 3) == 0.378 and round(result.chance_agreement, 3) == 0.213


def test_fleiss_jackknife_se_equals_refitting_without_each_subject():
    counts = category_counts(FLEISS_1971)
    result = fleiss_kappa(counts)
    without = np.array([fleiss_kappa(np.delete(counts, i, axis=0)).kappa for i in range(len(counts))])
    n = len(counts)
    assert result.se == pytest.approx(np.sqrt((n - 1) / n * ((without - without.mean()) ** 2).sum()))
    assert result.low < result.kappa < result.high


def test_cohen_kappa_matches_sklearn():
    rng = np.random.default_rng(1)
    first = rng.integers(0, 4, 200)
    second = np.where(rng.random(200) < 0.6, first, rng.integers(0, 4, 200))
    assert cohen_kappa(first, second).kappa == pytest.approx(cohen_kappa_score(first, second), abs=1e-12)


def test_cohen_kappa_se_reproduces_sas():
    """SAS PROC FREQ "Simple Kappa Coefficient" for the 3 × 3 table [[0,4,1],[0,8,0],[0,1,5]]
    (printed output reproduced in statsmodels' test_inter_rater.py): κ 0.4842, ASE 0.1380,
    95% limits 0.2137–0.7547, ASE under H0 0.1484, Z 3.2626, two-sided p 0.0011."""
    result = cohen_kappa_from_table([[0, 4, 1], [0, 8, 0], [0, 1, 5]])
    assert (result.kappa, result.se, result.low, result.high) == pytest.approx((0.4842, 0.1380, 0.2137, 0.7547),
                                                                               abs=5e-5)
    assert (result.se_null, result.z, result.p_value) == pytest.approx((0.1484, 3.2626, 0.0011), abs=5e-5)


def test_intra_reader_kappa_is_cohens_between_two_reads():
    first, second = [1, 1, 0, 0, 1, 0, 1, 1], [1, 0, 0, 0, 1, 0, 1, 1]
    assert intra_reader_kappa(first, second) == cohen_kappa(first, second)
    with pytest.raises(ValueError):
        intra_reader_kappa([1, 0], [1])
