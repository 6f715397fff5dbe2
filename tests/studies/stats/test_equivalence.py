"""TOST (Schuirmann 1987) and Holm (1979) adjustment."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from studies.stats.equivalence import auc_equivalence, holm_adjust, tost


def test_tost_is_the_larger_of_two_one_sided_t_tests():
    result = tost(0.52, 0.02, 12.7, 0.45, 0.55)
    assert result.p_lower == pytest.approx(stats.t.sf((0.52 - 0.45) / 0.02, 12.7))
    assert result.p_upper == pytest.approx(stats.t.cdf((0.52 - 0.55) / 0.02, 12.7))
    assert result.p_value == max(result.p_lower, result.p_upper)


@pytest.mark.parametrize("estimate", np.linspace(0.40, 0.60, 21))
def test_equivalence_means_the_90_percent_interval_lies_inside_the_margin(estimate):
    result = auc_equivalence(estimate, se=0.015, df=np.inf, margin=0.05)
    inside = 0.45 < result.interval[0] and result.interval[1] < 0.55
    assert result.equivalent == inside


def test_holm_adjusts_by_hand():
    # sorted 0.005, 0.01, 0.03, 0.04 × (4, 3, 2, 1) = 0.02, 0.03, 0.06, 0.04 → running max 0.06.
    np.testing.assert_allclose(holm_adjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02])


def test_holm_rejects_what_the_step_down_procedure_rejects():
    """Holm (1979): compare p₍ᵢ₎ with α/(m − i + 1) in order and stop at the first failure."""
    rng = np.random.default_rng(4)
    for _ in range(200):
        p = rng.random(rng.integers(1, 8)) ** 3
        rejected = np.zeros(len(p), bool)
        for i, index in enumerate(np.argsort(p)):
            if p[index] > 0.05 / (len(p) - i):
                break
            rejected[index] = True
        np.testing.assert_array_equal(holm_adjust(p) <= 0.05, rejected)


def test_it_refuses_bad_margins():
    with pytest.raises(ValueError):
        auc_equivalence(0.5, 0.01, 10, margin=0.6)
    with pytest.raises(ValueError):
        tost(0.5, 0.0, 10, 0.4, 0.6)
