import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from gan_engine.metrics.turing import delong_auc, turing_test_auc


def test_delong_matches_the_hand_computed_example():
    # Pairs won by the positives: 0.9 and 0.8 beat both negatives, 0.4 beats 0.3: AUC = 5/6.
    # V10 = [1, 1, 1/2] (var 1/12, / 3), V01 = [2/3, 1] (var 1/18, / 2): variance = 1/18.
    auc, variance = delong_auc([0.9, 0.8, 0.4], [0.5, 0.3])
    assert auc == pytest.approx(5 / 6)
    assert variance == pytest.approx(1 / 18)


def test_delong_auc_equals_scikit_learns_with_ties():
    rng = np.random.default_rng(0)
    pos = rng.integers(0, 5, size=40).astype(float)
    neg = rng.integers(0, 4, size=30).astype(float)
    auc, _ = delong_auc(pos, neg)
    expected = roc_auc_score(np.r_[np.ones(40), np.zeros(30)], np.r_[pos, neg])
    assert auc == pytest.approx(expected)


def test_two_samples_of_one_distribution_are_indistinguishable():
    rng = np.random.default_rng(1)
    auc, low, high = turing_test_auc(rng.normal(size=(200, 10)), rng.normal(size=(200, 10)))
    assert abs(auc - 0.5) < 0.1
    assert low < 0.5 < high


def test_clearly_different_sets_are_told_apart():
    rng = np.random.default_rng(2)
    auc, low, _ = turing_test_auc(rng.normal(size=(100, 10)), rng.normal(loc=2.0, size=(100, 10)))
    assert auc > 0.98 and low > 0.95
