import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gan_engine.metrics.fid import frechet_distance
from gan_engine.metrics.reference import fid_reference

# The sqrtm reference warns on the singular covariances of n < d sets; that is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::scipy.linalg.LinAlgWarning")


def test_identical_sets_have_zero_fid():
    x = np.random.default_rng(0).normal(size=(300, 16))
    assert frechet_distance(x, x) == pytest.approx(0.0, abs=1e-9)


def test_a_pure_shift_gives_the_squared_shift_exactly():
    # Same sample covariance, means differ by c: FID = |c|^2 by eq. 6.
    x = np.random.default_rng(1).normal(size=(200, 8))
    shift = np.arange(8) / 4.0
    assert frechet_distance(x, x + shift) == pytest.approx(np.sum(shift ** 2), rel=1e-9)


def test_a_scaled_copy_gives_the_hand_computed_value():
    # fake = s x: mean term |(s-1) mu|^2, trace term (1-s)^2 Tr S.
    x = np.random.default_rng(2).normal(loc=1.0, size=(150, 6))
    s = 2.0
    expected = np.sum(((s - 1) * x.mean(0)) ** 2) + (1 - s) ** 2 * np.trace(np.cov(x, rowvar=False))
    assert frechet_distance(x, s * x) == pytest.approx(expected, rel=1e-9)


def test_shifted_gaussians_give_the_population_fid():
    # N(0, I) vs N(mu, 4 I): FID = |mu|^2 + d (1 - 2)^2 = 4 + d.
    rng = np.random.default_rng(3)
    d = 4
    real = rng.normal(size=(20000, d))
    fake = rng.normal(loc=[2.0, 0, 0, 0], scale=2.0, size=(20000, d))
    assert frechet_distance(real, fake) == pytest.approx(4.0 + d, abs=0.15)


@pytest.mark.parametrize("n_real, n_fake, d", [(400, 300, 32), (40, 30, 64)])
def test_it_agrees_with_the_scipy_sqrtm_reference(n_real, n_fake, d):
    rng = np.random.default_rng(4)
    real = rng.normal(size=(n_real, d)) @ rng.normal(size=(d, d))
    fake = rng.normal(loc=0.5, size=(n_fake, d)) @ rng.normal(size=(d, d))
    assert frechet_distance(real, fake) == pytest.approx(fid_reference(real, fake), abs=1e-4)


def test_it_rejects_sets_of_different_dimension():
    with pytest.raises(ValueError, match="dimensions differ"):
        frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))


@settings(max_examples=25, deadline=None)
@given(n_real=st.integers(3, 40), n_fake=st.integers(3, 40), d=st.integers(2, 12), seed=st.integers(0, 10_000))
def test_fid_is_symmetric_non_negative_and_matches_the_reference_for_any_shapes(n_real, n_fake, d, seed):
    rng = np.random.default_rng(seed)
    real = rng.normal(size=(n_real, d))
    fake = rng.normal(loc=0.3, size=(n_fake, d))
    value = frechet_distance(real, fake)
    assert value >= 0.0
    assert value == pytest.approx(frechet_distance(fake, real), rel=1e-9, abs=1e-9)
    assert value == pytest.approx(fid_reference(real, fake), rel=1e-6, abs=1e-4)
