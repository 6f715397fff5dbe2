"""The Roe & Metz (1997) simulator: its AUCs sit where the model puts them. AUCs come from
`structural_components`, checked against sklearn in test_mrmc.py."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm
from studies.stats.roe_metz import ROE_METZ_1997, paired_studies, shared_real_studies
from studies.stats.structural_components import structural_components


def _aucs(ratings, truth):
    v10, _ = structural_components(ratings[..., truth == 1], ratings[..., truth == 0])
    return v10.mean(axis=-1)


@pytest.mark.parametrize("structure", ["HL", "LH"])
def test_null_studies_average_an_auc_of_one_half(structure):
    rng = np.random.default_rng(11)
    ratings, truth = paired_studies(rng, ROE_METZ_1997[structure], studies=200, readers=5, real=40, synthetic=40)
    aucs = _aucs(ratings, truth)
    assert np.mean(aucs) == pytest.approx(0.5, abs=0.01)


def test_a_separation_of_three_quarters_gives_roe_and_metzs_auc_of_0_702():
    """Roe & Metz (1997): μ = 0.75 with unit case-level variance is AUC Φ(0.75/√2) = 0.702."""
    rng = np.random.default_rng(12)
    ratings, truth = paired_studies(rng, ROE_METZ_1997["HL"], studies=100, readers=5, real=100, synthetic=100,
                                    separation=(0.75, 0.75))
    aucs = _aucs(ratings[:, 0], truth)
    assert norm.cdf(0.75 / np.sqrt(2)) == pytest.approx(0.702, abs=5e-4)
    assert np.mean(aucs) == pytest.approx(0.702, abs=0.01)


def test_shared_real_studies_read_each_image_once():
    rng = np.random.default_rng(13)
    ratings, truth, generator = shared_real_studies(rng, ROE_METZ_1997["LH"], studies=3, readers=4, real=10,
                                                    per_generator=6)
    assert ratings.shape == (3, 4, 22)
    assert (truth == 0).sum() == 10 and (generator == 0).sum() == 6 and (generator == 1).sum() == 6
    assert np.all(generator[truth == 0] == -1)


def test_the_two_generators_synthetic_images_are_different_images():
    """Image p of generator 0 and image p of generator 1 share no case effect (σ²_C + σ²_τC = 0.6 in
    HL): across studies their ratings correlate only through the reader effect (≈ 0.0055)."""
    rng = np.random.default_rng(14)
    ratings, truth, generator = shared_real_studies(rng, ROE_METZ_1997["HL"], studies=4000, readers=1, real=2,
                                                    per_generator=2)
    first, second = ratings[:, 0, np.flatnonzero(generator == 0)[0]], ratings[:, 0, np.flatnonzero(generator == 1)[0]]
    assert abs(np.corrcoef(first, second)[0, 1]) < 0.06
