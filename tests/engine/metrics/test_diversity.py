import numpy as np
import pytest

from gan_engine.metrics.diversity import mean_pairwise_ms_ssim, random_pairs


def test_random_pairs_never_pair_an_image_with_itself():
    pairs = random_pairs(5, 1000, np.random.default_rng(0))
    assert len(pairs) == 10  # all 5 * 4 / 2 pairs when that is fewer than asked
    pairs = random_pairs(100, 500, np.random.default_rng(0))
    assert len(pairs) == 500 and (pairs[:, 0] != pairs[:, 1]).all()


def test_a_collapsed_set_has_ms_ssim_one_and_a_varied_set_much_less(make_blobs):
    varied = make_blobs(40, seed=0, size=64)
    collapsed = np.repeat(varied[:1], 40, axis=0)
    assert mean_pairwise_ms_ssim(collapsed) == pytest.approx(1.0)
    assert mean_pairwise_ms_ssim(varied) < 0.8


def test_it_needs_two_images():
    with pytest.raises(ValueError, match="at least 2"):
        random_pairs(1, 10, np.random.default_rng(0))
