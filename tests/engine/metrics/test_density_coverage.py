import numpy as np
import pytest

from gan_engine.metrics.density_coverage import density_coverage
from gan_engine.metrics.reference import prdc_reference

REAL = np.array([[0.0], [1.0], [2.0], [4.0]])
FAKE = np.array([[0.5], [0.6], [10.0]])


def test_it_matches_the_hand_computed_toy_example():
    # Real radii (k=1) 1, 1, 1, 2. 0.5 and 0.6 each lie in the balls of 0 and 1; 10 in none:
    # density = (2 + 2 + 0) / (1 * 3). Reals 0 and 1 have a fake within their radius, 2 and 4 not.
    density, coverage = density_coverage(REAL, FAKE, k=1)
    assert density == pytest.approx(4 / 3)
    assert coverage == pytest.approx(0.5)


def test_identical_sets_are_fully_covered_with_density_one_plus_one_over_k():
    # Each real ball holds its centre and its k nearest neighbours (no ties in continuous data),
    # so with fake = real the count is n (k + 1) and density = (k + 1) / k = 1.2 for k = 5.
    x = np.random.default_rng(0).normal(size=(500, 8))
    density, coverage = density_coverage(x, x.copy())
    assert coverage == 1.0
    assert density == pytest.approx(1.2)


def test_a_collapsed_generator_covers_almost_nothing():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(300, 10))
    _, collapsed = density_coverage(real, np.repeat(real[:1], 300, axis=0))
    _, honest = density_coverage(real, rng.normal(size=(300, 10)))
    assert collapsed < 0.05  # only the few real balls that contain the one repeated image
    assert honest > 0.8


def test_it_agrees_with_the_cdist_reference():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(250, 12))
    fake = rng.normal(loc=0.4, size=(200, 12))
    reference = prdc_reference(real, fake)
    density, coverage = density_coverage(real, fake)
    assert density == pytest.approx(reference["density"], abs=1e-12)
    assert coverage == pytest.approx(reference["coverage"], abs=1e-12)
