import numpy as np
import pytest

from gan_engine.metrics.knn import knn_radii
from gan_engine.metrics.precision_recall import precision_recall
from gan_engine.metrics.reference import prdc_reference

# 1-D toy sets worked by hand with k = 1 (see each test).
REAL = np.array([[0.0], [1.0], [2.0], [4.0]])
FAKE = np.array([[0.5], [0.6], [10.0]])


def test_knn_radii_skip_the_sample_itself():
    assert knn_radii(REAL, 1).tolist() == [1.0, 1.0, 1.0, 2.0]
    assert knn_radii(REAL, 2).tolist() == [2.0, 1.0, 2.0, 3.0]


def test_it_matches_the_hand_computed_toy_example():
    # Real radii (k=1) 1, 1, 1, 2: 0.5 and 0.6 lie in the ball of 0, 10 in none -> precision 2/3.
    # Fake radii 0.1, 0.1, 9.4: reals 1, 2, 4 lie within 9.4 of 10, real 0 in no ball -> recall 3/4.
    precision, recall = precision_recall(REAL, FAKE, k=1)
    assert precision == pytest.approx(2 / 3)
    assert recall == pytest.approx(3 / 4)


def test_identical_sets_have_precision_and_recall_one():
    x = np.random.default_rng(0).normal(size=(200, 10))
    assert precision_recall(x, x.copy()) == (1.0, 1.0)


def test_a_collapsed_generator_has_recall_near_zero():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(300, 10))
    collapsed = np.repeat(real[:1], 300, axis=0)  # one repeated image
    precision, recall = precision_recall(real, collapsed)
    assert precision == 1.0  # each copy is a perfectly realistic image...
    assert recall <= 1 / 300  # ...but covers only itself


def test_it_agrees_with_the_cdist_reference():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(250, 12))
    fake = rng.normal(loc=0.4, scale=1.2, size=(200, 12))
    reference = prdc_reference(real, fake)
    assert precision_recall(real, fake) == (reference["precision"], reference["recall"])


def test_it_rejects_k_not_below_the_set_size():
    with pytest.raises(ValueError, match="k must lie"):
        precision_recall(REAL, FAKE, k=3)
